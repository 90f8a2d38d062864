import { getUserByEmail } from "../accounts/accounts.service";
import type { User } from "../accounts/accounts.table";
import { getPendingRegistrationHash } from "../accounts/codes";
import { type CeilingNotice, checkPasswordAttempt } from "../accounts/password-attempts";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { checkEmail } from "../lib/email-address";
import { Problems, RateLimitedError, SignInExpiredError } from "../lib/errors";
import { getActiveAuthenticator } from "../mfa/authenticators";
import { findRememberedDevice, rememberDevice, useRememberedDevice } from "../mfa/remembered-devices";
import { afterCommit } from "../outbox/enqueue";
import { startSession } from "../sessions/session-cookie";
import { refusedError, reserveAttempt } from "../throttling/guard";
import { codeSendKeys, passwordOnDeviceKey, passwordWithLinkKey } from "../throttling/policies";
import { noAccountSignInLinkEmail, signInLinkEmail, signInPausedEmail } from "./auth.emails";
import { consumePendingSignIn, type PendingSignIn, startPendingSignIn } from "./pending-sign-in";
import { consumeSignInLink, findSignInLink, newSignInLink } from "./sign-in-links";
import type { SignInStep } from "./sign-in-step";

/**
 * The password as first factor. Guesses count against the address on this network, the
 * network and the address (ADR 012); a remembered device of the account, or a sign-in link
 * emailed to it, counts against its own key instead, so strangers who spent the others
 * cannot keep the owner out.
 */
export async function signIn(
  ctx: AppContext,
  input: { email: string; password: string; unlockToken?: string | null },
): Promise<SignInStep> {
  const problems = new Problems();
  const email = checkEmail(problems, "email", input.email);
  if (!input.password) problems.add("password", "Enter your password.");
  problems.throwIfAny();
  const now = ctx.now();
  const [holder, pendingRegistrationHash] = await Promise.all([getUserByEmail(ctx, email), getPendingRegistrationHash(ctx.db, email, now)]);
  const link = input.unlockToken ? await findSignInLink(ctx, input.unlockToken, holder?.id ?? null, now) : null;
  const device = link ? null : await findRememberedDevice(ctx, holder, now);
  const keys = link ? [passwordWithLinkKey(link.tokenHash)] : device ? [passwordOnDeviceKey(device.id)] : undefined;
  const user = await checkPasswordAttempt(ctx, email, holder, input.password, {
    keys,
    pendingRegistrationHash,
    ceilingNotice: pausedWithLink(ctx, email),
  });
  if (link && !(await consumeSignInLink(ctx, link))) {
    throw new RateLimitedError("This sign-in link was already used. Ask for a new one, or reset your password.", 60);
  }
  return completeFirstFactor(ctx, user, link ? "password+link" : "password");
}

/** When the address's ceiling is reached, its owner gets a sign-in link with the news. */
function pausedWithLink(ctx: AppContext, email: string): CeilingNotice {
  return async (user, minutes, now) => {
    const link = await newSignInLink(ctx, email, user.id, now);
    const mail = await emailIntent(ctx, signInPausedEmail(email, link.url, user.firstName, minutes), now, { notAfter: link.expiresAt });
    return { statements: [...link.statements, mail.statement], mailIds: [mail.id] };
  };
}

/**
 * Emails a fresh sign-in link (or, for an address without an account, says so), throttled
 * like codes: the answer, the throttling and the work are the same either way.
 */
export async function requestSignInLink(ctx: AppContext, rawEmail: string): Promise<{ email: string }> {
  const problems = new Problems();
  const email = checkEmail(problems, "email", rawEmail);
  problems.throwIfAny();
  const now = ctx.now();
  const reservation = await reserveAttempt(ctx.db, codeSendKeys("sign-in-link", email, ctx.ip), now);
  if (!reservation.granted) throw refusedError(reservation);
  const user = await getUserByEmail(ctx, email);
  const link = user ? await newSignInLink(ctx, email, user.id, now) : null;
  const message = user && link ? signInLinkEmail(email, link.url, user.firstName) : noAccountSignInLinkEmail(email, ctx.config.appUrl);
  const mail = await emailIntent(ctx, message, now, { notAfter: link?.expiresAt });
  await ctx.db.batch([...(link?.statements ?? []), mail.statement]);
  afterCommit(ctx, [mail.id]);
  return { email };
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
