import { eq } from "drizzle-orm";
import { getPrimaryEmail, getUserById } from "../accounts/accounts.service";
import { type User, users } from "../accounts/accounts.table";
import { verifyPassword } from "../accounts/password";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { InvalidCodeError, NotFoundError, Problems, SignInExpiredError, ValidationError } from "../lib/errors";
import { MINUTE } from "../lib/time";
import {
  abandonPendingSignIn,
  advancePendingSignIn,
  consumePendingSignIn,
  type PendingSignIn,
  requirePendingSignIn,
} from "../sessions/pending-sign-in";
import { startSession } from "../sessions/session-cookie";
import { revokeAllSessions } from "../sessions/sessions.service";
import {
  attemptsLeft,
  clearAttemptsStatement,
  pausedByThis,
  pausedByThisError,
  refusedError,
  reserveAttempt,
  settleSuccess,
  slotOf,
} from "../throttling/guard";
import { pendingSignInKey, SECOND_FACTOR_PER_ACCOUNT, SECOND_FACTOR_PER_SIGN_IN, secondFactorKey } from "../throttling/policies";
import {
  beginEnrolment,
  checkCode,
  confirmEnrolmentStatements,
  deleteAuthenticatorsStatement,
  type Enrolment,
  getActiveAuthenticator,
  getEnrolment,
} from "./authenticators";
import { authenticatorReplacedEmail, mfaEnabledEmail, mfaLockedEmail, mfaResetEmail, recoveryCodeUsedEmail } from "./mfa.emails";
import { deleteRecoveryCodeStatement, newRecoveryCode, redeemRecoveryCode, storeRecoveryCodeStatement } from "./recovery-codes";
import { forgetAllDevices, rememberDevice } from "./remembered-devices";

function checkTotpFormat(input: string): string {
  const code = input.replace(/\s/g, "");
  if (!/^\d{6}$/.test(code)) throw ValidationError.field("code", "Enter the 6-digit code from your authenticator app.");
  return code;
}

/**
 * Runs one second-factor check under the attempt guard: the guess is reserved against the
 * account (10 pause code entry, with an email) and, during sign-in, against the pending
 * sign-in (the fifth wrong one ends it) before the code is looked at.
 */
async function guardedCheck(
  ctx: AppContext,
  user: User,
  pending: PendingSignIn | null,
  check: () => Promise<"accepted" | "wrong" | "replayed" | "wrong-password">,
) {
  const keys = [secondFactorKey(user.id), ...(pending ? [pendingSignInKey(pending.tokenHash)] : [])];
  const reservation = await reserveAttempt(ctx.db, keys, ctx.now());
  if (!reservation.granted) {
    if (slotOf(reservation, SECOND_FACTOR_PER_SIGN_IN.name)?.pausedUntil) throw await tooManyCodes(ctx);
    throw refusedError(reservation);
  }
  const result = await check();
  if (result === "accepted") {
    await settleSuccess(ctx.db, reservation);
    return;
  }
  const paused = pausedByThis(reservation);
  const accountPaused = paused.filter((s) => s.slot.policy === SECOND_FACTOR_PER_ACCOUNT);
  if (accountPaused.length > 0) {
    await ctx.db.batch([
      auditInsert(
        ctx.db,
        { actorUserId: null, action: "mfa.locked", subjectType: "user", subjectId: user.id, ip: ctx.ip },
        reservation.now,
      ),
    ]);
    await ctx.mailer.send(
      mfaLockedEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName, SECOND_FACTOR_PER_ACCOUNT.pauseMs / MINUTE),
    );
  }
  if (paused.some((s) => s.slot.policy === SECOND_FACTOR_PER_SIGN_IN)) throw await tooManyCodes(ctx);
  const pausedError = pausedByThisError(reservation, accountPaused);
  if (pausedError) throw pausedError;
  if (result === "wrong-password") throw ValidationError.field("password", "That password is not right.");
  throw new InvalidCodeError(
    result === "replayed"
      ? "That code was already used. Wait for the next code in your app and enter it."
      : "That code is not right. Enter the newest code from your authenticator app.",
    pending ? attemptsLeft(reservation, SECOND_FACTOR_PER_SIGN_IN.name) : null,
  );
}

/** The pending sign-in has had its five codes: it ends, and the password comes first again. */
async function tooManyCodes(ctx: AppContext) {
  await abandonPendingSignIn(ctx);
  return new SignInExpiredError("Too many wrong codes. Sign in again to try once more.");
}

async function pendingUser(ctx: AppContext, pending: PendingSignIn): Promise<User> {
  const user = await getUserById(ctx, pending.userId);
  if (user?.status !== "active") throw new SignInExpiredError();
  return user;
}

// ---- Set-up during the first sign-in -------------------------------------------------------

export async function beginSignInSetup(ctx: AppContext): Promise<Enrolment> {
  const pending = await requirePendingSignIn(ctx, ["setup"]);
  return beginEnrolment(ctx, pending.userId, await getPrimaryEmail(ctx, pending.userId), ctx.now());
}

/** Confirms the new authenticator with a code from it and returns the first recovery code. */
export async function confirmSignInSetup(ctx: AppContext, input: { code: string }): Promise<{ recoveryCode: string }> {
  const code = checkTotpFormat(input.code);
  const pending = await requirePendingSignIn(ctx, ["setup"]);
  const user = await pendingUser(ctx, pending);
  const enrolment = await getEnrolment(ctx, user.id);
  if (!enrolment) throw ValidationError.field("code", "Set-up was restarted elsewhere. Scan the new QR code.");
  const now = ctx.now();
  // Codes from an app being set up are not guesses at an existing secret: no lock counting.
  const result = await checkCode(ctx, enrolment, code, now);
  if (result !== "accepted")
    throw new InvalidCodeError("That code is not right. Check that the app shows a code for Laurel and enter the newest one.");
  const recovery = await newRecoveryCode();
  await ctx.db.batch([
    ...confirmEnrolmentStatements(ctx, enrolment, now),
    storeRecoveryCodeStatement(ctx, user.id, recovery.hash, now),
    auditInsert(ctx.db, { actorUserId: user.id, action: "mfa.enabled", subjectType: "user", subjectId: user.id, ip: ctx.ip }, now),
  ]);
  await advancePendingSignIn(ctx, pending, "acknowledge");
  await ctx.mailer.send(mfaEnabledEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName));
  return { recoveryCode: recovery.code };
}

/** "I have saved this code": the only way from a shown recovery code to a session. */
export async function acknowledgeRecoveryCode(ctx: AppContext): Promise<User> {
  const pending = await requirePendingSignIn(ctx, ["acknowledge"]);
  const user = await pendingUser(ctx, pending);
  return finishSignIn(ctx, pending, user);
}

// ---- Second factor at sign-in --------------------------------------------------------------

export async function verifySignInCode(ctx: AppContext, input: { code: string; rememberDevice: boolean }): Promise<User> {
  const code = checkTotpFormat(input.code);
  const pending = await requirePendingSignIn(ctx, ["second-factor"]);
  const user = await pendingUser(ctx, pending);
  const authenticator = await getActiveAuthenticator(ctx, user.id);
  if (!authenticator) throw new SignInExpiredError();
  await guardedCheck(ctx, user, pending, () => checkCode(ctx, authenticator, code, ctx.now()));
  return finishSignIn(ctx, { ...pending, rememberDevice: input.rememberDevice }, user);
}

/** Signs in with the recovery code, which dies; the new one must be acknowledged before the session starts. */
export async function verifyRecoveryCode(ctx: AppContext, input: { code: string }): Promise<{ recoveryCode: string }> {
  if (!input.code.trim()) throw ValidationError.field("code", "Enter your recovery code.");
  const pending = await requirePendingSignIn(ctx, ["second-factor"]);
  const user = await pendingUser(ctx, pending);
  let replacement: string | null = null;
  await guardedCheck(ctx, user, pending, async () => {
    replacement = await redeemRecoveryCode(ctx, user.id, input.code, ctx.now());
    return replacement ? "accepted" : "wrong";
  });
  const now = ctx.now();
  await ctx.db.batch([
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "mfa.recovery-code-used", subjectType: "user", subjectId: user.id, ip: ctx.ip },
      now,
    ),
  ]);
  await advancePendingSignIn(ctx, pending, "acknowledge");
  await ctx.mailer.send(recoveryCodeUsedEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName));
  return { recoveryCode: replacement! };
}

async function finishSignIn(ctx: AppContext, pending: PendingSignIn, user: User): Promise<User> {
  // Of two racing requests for one pending sign-in, only the one that deletes it gets a session.
  if (!(await consumePendingSignIn(ctx, pending))) throw new SignInExpiredError();
  await startSession(ctx, user);
  if (pending.rememberDevice) await rememberDevice(ctx, user.id, ctx.now());
  return user;
}

// ---- Settings of a signed-in user ----------------------------------------------------------

async function reauthenticate(ctx: AppContext, user: User, input: { password?: string | null; code: string }) {
  const code = checkTotpFormat(input.code);
  const problems = new Problems();
  if (user.passwordHash && !input.password) problems.add("password", "Enter your password.");
  problems.throwIfAny();
  const authenticator = await getActiveAuthenticator(ctx, user.id);
  if (!authenticator) throw ValidationError.field("code", "Your account has no authenticator yet.");
  // Wrong passwords count too: this form must not become a way around the sign-in lock.
  await guardedCheck(ctx, user, null, async () =>
    user.passwordHash && !(await verifyPassword(input.password!, user.passwordHash))
      ? "wrong-password"
      : checkCode(ctx, authenticator, code, ctx.now()),
  );
}

/** Step one of replacing the authenticator: the password and a current code, then a new QR code. */
export async function beginAuthenticatorReplacement(ctx: AppContext, user: User, input: { password?: string | null; code: string }) {
  await reauthenticate(ctx, user, input);
  return beginEnrolment(ctx, user.id, await getPrimaryEmail(ctx, user.id), ctx.now());
}

export async function confirmAuthenticatorReplacement(ctx: AppContext, user: User, input: { code: string }): Promise<Date> {
  const code = checkTotpFormat(input.code);
  const enrolment = await getEnrolment(ctx, user.id);
  if (!enrolment) throw ValidationError.field("code", "Start the replacement again: no new authenticator is waiting.");
  const now = ctx.now();
  if ((await checkCode(ctx, enrolment, code, now)) !== "accepted") {
    throw new InvalidCodeError("That code is not right. Enter the newest code from the new app.");
  }
  await ctx.db.batch([
    ...confirmEnrolmentStatements(ctx, enrolment, now),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "mfa.authenticator-replaced", subjectType: "user", subjectId: user.id, ip: ctx.ip },
      now,
    ),
  ]);
  await ctx.mailer.send(authenticatorReplacedEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName));
  return new Date(now);
}

/** A new recovery code for a signed-in user who proves the authenticator; the old one dies. */
export async function regenerateRecoveryCode(ctx: AppContext, user: User, input: { code: string }): Promise<{ recoveryCode: string }> {
  const code = checkTotpFormat(input.code);
  const authenticator = await getActiveAuthenticator(ctx, user.id);
  if (!authenticator) throw ValidationError.field("code", "Your account has no authenticator yet.");
  await guardedCheck(ctx, user, null, () => checkCode(ctx, authenticator, code, ctx.now()));
  const now = ctx.now();
  const recovery = await newRecoveryCode();
  await ctx.db.batch([
    storeRecoveryCodeStatement(ctx, user.id, recovery.hash, now),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "mfa.recovery-code-regenerated", subjectType: "user", subjectId: user.id, ip: ctx.ip },
      now,
    ),
  ]);
  return { recoveryCode: recovery.code };
}

export async function forgetRememberedDevices(ctx: AppContext, user: User): Promise<number> {
  const now = ctx.now();
  await ctx.db.batch([
    ctx.db
      .update(users)
      .set({ devicesTrustedFrom: new Date(now), updatedAt: new Date(now) })
      .where(eq(users.id, user.id)),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "mfa.devices-forgotten", subjectType: "user", subjectId: user.id, ip: ctx.ip },
      now,
    ),
  ]);
  return forgetAllDevices(ctx, user.id);
}

/**
 * Staff help for a user locked out of their authenticator: removes the authenticator and the
 * recovery code, ends every session and remembered device, records who did it and why, and
 * tells the user. The next sign-in starts set-up again.
 */
export async function resetUserMfa(ctx: AppContext, staff: User, input: { userId: string; reason: string }): Promise<User> {
  const reason = input.reason.trim();
  if (reason.length < 5) throw ValidationError.field("reason", "Say why (for example the support ticket number).");
  const user = await getUserById(ctx, input.userId);
  if (!user) throw new NotFoundError("No account has that id.");
  const now = ctx.now();
  const [, , updated] = await ctx.db.batch([
    deleteAuthenticatorsStatement(ctx, user.id),
    deleteRecoveryCodeStatement(ctx, user.id),
    ctx.db
      .update(users)
      .set({ devicesTrustedFrom: new Date(now), credentialsChangedAt: new Date(now), updatedAt: new Date(now) })
      .where(eq(users.id, user.id))
      .returning(),
    auditInsert(
      ctx.db,
      { actorUserId: staff.id, action: "mfa.reset-by-staff", subjectType: "user", subjectId: user.id, data: { reason }, ip: ctx.ip },
      now,
    ),
    clearAttemptsStatement(ctx.db, secondFactorKey(user.id)),
  ]);
  await Promise.all([revokeAllSessions(ctx, user.id), forgetAllDevices(ctx, user.id)]);
  await ctx.mailer.send(mfaResetEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName));
  return updated[0]!;
}
