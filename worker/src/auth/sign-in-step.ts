import type { User } from "../accounts/accounts.table";

/** Where a sign-in stands after a factor passed: a session, or the next step of the pending sign-in. */
export type SignInStep =
  | { kind: "signed-in"; user: User }
  | { kind: "mfa-setup-required"; expiresAt: Date }
  | { kind: "second-factor-required"; expiresAt: Date };

export const signedIn = (user: User): SignInStep => ({ kind: "signed-in", user });
