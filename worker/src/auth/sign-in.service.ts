import { getUserByEmail } from "../accounts/accounts.service";
import type { User } from "../accounts/accounts.table";
import { checkPasswordAttempt } from "../accounts/password-attempts";
import { checkEmail } from "../accounts/validation";
import type { AppContext } from "../context";
import { Problems, SignInExpiredError } from "../lib/errors";
import { getActiveAuthenticator } from "../mfa/authenticators";
import { rememberDevice, useRememberedDevice } from "../mfa/remembered-devices";
import { startSession } from "../sessions/session-cookie";
import { consumePendingSignIn, type PendingSignIn, startPendingSignIn } from "./pending-sign-in";
import type { SignInStep } from "./sign-in-step";

/** The password as first factor. */
export async function signIn(ctx: AppContext, input: { email: string; password: string }): Promise<SignInStep> {
  const problems = new Problems();
  const email = checkEmail(problems, "email", input.email);
  if (!input.password) problems.add("password", "Enter your password.");
  problems.throwIfAny();
  const user = await checkPasswordAttempt(ctx, email, await getUserByEmail(ctx, email), input.password);
  return completeFirstFactor(ctx, user, "password");
}

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

/** Turns a pending sign-in whose every factor passed into a session. */
export async function finishSignIn(ctx: AppContext, pending: PendingSignIn, user: User): Promise<User> {
  // Of two racing requests for one pending sign-in, only the one that deletes it gets a session.
  if (!(await consumePendingSignIn(ctx, pending))) throw new SignInExpiredError();
  await startSession(ctx, user);
  if (pending.rememberDevice) await rememberDevice(ctx, user.id, ctx.now());
  return user;
}
