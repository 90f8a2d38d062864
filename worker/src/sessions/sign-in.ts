import type { User } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import { getActiveAuthenticator } from "../mfa/authenticators";
import { useRememberedDevice } from "../mfa/remembered-devices";
import { startPendingSignIn } from "./pending-sign-in";
import { startSession } from "./session-cookie";

export type SignInStep =
  | { kind: "signed-in"; user: User }
  | { kind: "mfa-setup-required"; expiresAt: Date }
  | { kind: "second-factor-required"; expiresAt: Date };

/**
 * Called once the first factor (password or SSO) has passed. Every sign-in path funnels
 * through here, so the second factor is enforced in one place: an account without an
 * authenticator sets one up, a remembered device skips the code, anyone else enters one.
 */
export async function completeFirstFactor(ctx: AppContext, user: User, method: string): Promise<SignInStep> {
  const authenticator = await getActiveAuthenticator(ctx, user.id);
  if (!authenticator) {
    const pending = await startPendingSignIn(ctx, user, "setup", method);
    return { kind: "mfa-setup-required", expiresAt: pending.expiresAt };
  }
  if (await useRememberedDevice(ctx, user, ctx.now())) {
    await startSession(ctx, user);
    return { kind: "signed-in", user };
  }
  const pending = await startPendingSignIn(ctx, user, "second-factor", method);
  return { kind: "second-factor-required", expiresAt: pending.expiresAt };
}
