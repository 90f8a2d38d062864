import type { Navigator } from "@solidjs/router";
import { refreshUser } from "./session";

/** Every member of the signIn result union that is not an error. */
export type SignInResult = { __typename: "SignedIn"; userId: string };

/**
 * Where a successful first step of sign-in leads. One function, so every way of signing in
 * (password, SSO callback, MFA) ends the same way.
 */
export async function continueAfterSignIn(result: SignInResult, navigate: Navigator, next: string) {
  if (result.__typename === "SignedIn") {
    await refreshUser();
    navigate(safeNext(next), { replace: true });
  }
}

/** Only same-site paths, so a crafted ?next= cannot send the user elsewhere. */
export function safeNext(next: string | undefined): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}
