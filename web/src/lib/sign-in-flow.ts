import type { Navigator } from "@solidjs/router";
import { type FragmentOf, graphql } from "./gql";
import { refreshUser } from "./session";

/** What every factor of sign-in answers. */
export const SignInStepFields = graphql(`
  fragment SignInStepFields on SignInStep { status pendingExpiresAt }
`);
export type SignInStep = FragmentOf<typeof SignInStepFields>;

/**
 * Where a passed factor leads. One function, so every way of signing in (password, SSO,
 * authenticator code, recovery code) ends the same way.
 */
export async function continueAfterSignIn(step: SignInStep, navigate: Navigator, next: string) {
  const query = `?next=${encodeURIComponent(safeNext(next))}`;
  if (step.status === "MFA_SETUP_REQUIRED") navigate(`/sign-in/setup${query}`, { replace: true });
  else if (step.status === "SECOND_FACTOR_REQUIRED") navigate(`/sign-in/code${query}`, { replace: true });
  else {
    await refreshUser();
    navigate(safeNext(next), { replace: true });
  }
}

/** Only same-site paths, so a crafted ?next= cannot send the user elsewhere. */
export function safeNext(next: string | undefined): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/** `&next=…` for a link that passes on where to go after signing in, or nothing. */
export function nextQuery(next: string | string[] | undefined): string {
  return typeof next === "string" && safeNext(next) !== "/" ? `&next=${encodeURIComponent(safeNext(next))}` : "";
}
