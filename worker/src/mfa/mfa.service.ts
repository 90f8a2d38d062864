import { eq } from "drizzle-orm";
import { getPrimaryEmail, getUserById } from "../accounts/accounts.service";
import { type User, users } from "../accounts/accounts.table";
import { verifyPassword } from "../accounts/password";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { inBackground } from "../http/background";
import { InvalidCodeError, NotFoundError, Problems, ValidationError } from "../lib/errors";
import { afterCommit } from "../outbox/enqueue";
import { clearAttemptsStatement } from "../throttling/guard";
import { secondFactorKey } from "../throttling/policies";
import {
  beginEnrolment,
  checkCode,
  confirmEnrolmentStatements,
  deleteAuthenticatorsStatement,
  getActiveAuthenticator,
  getEnrolment,
} from "./authenticators";
import { checkSecondFactorAttempt, checkTotpFormat } from "./code-attempts";
import { authenticatorReplacedEmail, mfaResetEmail } from "./mfa.emails";
import { deleteRecoveryCodeStatement, newRecoveryCode, storeRecoveryCodeStatement } from "./recovery-codes";
import { forgetAllDevices } from "./remembered-devices";

// ---- Settings of a signed-in user ----------------------------------------------------------

export async function reauthenticate(ctx: AppContext, user: User, input: { password?: string | null; code: string }) {
  const code = checkTotpFormat(input.code);
  const problems = new Problems();
  if (user.passwordHash && !input.password) problems.add("password", "Enter your password.");
  problems.throwIfAny();
  const authenticator = await getActiveAuthenticator(ctx, user.id);
  if (!authenticator) throw ValidationError.field("code", "Your account has no authenticator yet.");
  // Wrong passwords count too: this form must not become a way around the sign-in limits.
  await checkSecondFactorAttempt(ctx, user, async () =>
    user.passwordHash && !(await verifyPassword(input.password!, user.passwordHash))
      ? "wrong-password"
      : checkCode(ctx, authenticator, code, ctx.now()),
  );
}

/**
 * Step-up: a current code from the user's authenticator, for a change that a stolen session
 * alone must not make. It counts towards the user's second-factor limit like a sign-in.
 */
export async function requireFreshCode(ctx: AppContext, user: User, rawCode: string): Promise<void> {
  const code = checkTotpFormat(rawCode);
  const authenticator = await getActiveAuthenticator(ctx, user.id);
  if (!authenticator) throw ValidationError.field("code", "Your account has no authenticator yet.");
  await checkSecondFactorAttempt(ctx, user, () => checkCode(ctx, authenticator, code, ctx.now()));
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
  const mail = await emailIntent(
    ctx,
    authenticatorReplacedEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName),
    now,
  );
  await ctx.db.batch([
    ...confirmEnrolmentStatements(ctx, enrolment, now),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "mfa.authenticator-replaced", subjectType: "user", subjectId: user.id, ip: ctx.ip },
      now,
    ),
    mail.statement,
  ]);
  afterCommit(ctx, [mail.id]);
  return new Date(now);
}

/** A new recovery code for a signed-in user who proves the authenticator; the old one dies. */
export async function regenerateRecoveryCode(ctx: AppContext, user: User, input: { code: string }): Promise<{ recoveryCode: string }> {
  await requireFreshCode(ctx, user, input.code);
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
export async function resetUserMfa(
  ctx: AppContext,
  staff: User,
  input: { userId: string; reason: string; ticketId?: string },
): Promise<User> {
  const reason = input.reason.trim();
  if (reason.length < 5) throw ValidationError.field("reason", "Say why (for example the support ticket number).");
  const user = await getUserById(ctx, input.userId);
  if (!user) throw new NotFoundError("No account has that id.");
  const now = ctx.now();
  const mail = await emailIntent(ctx, mfaResetEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName), now);
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
      {
        actorUserId: staff.id,
        action: "mfa.reset-by-staff",
        subjectType: "user",
        subjectId: user.id,
        data: { reason, ...(input.ticketId ? { ticketId: input.ticketId } : {}) },
        ip: ctx.ip,
      },
      now,
    ),
    clearAttemptsStatement(ctx.db, secondFactorKey(user.id)),
    mail.statement,
  ]);
  afterCommit(ctx, [mail.id]);
  // Its sessions end by credentialsChangedAt, which every request checks (sessions/visitor.ts),
  // and its devices by devicesTrustedFrom: deleting them from KV only tidies.
  inBackground(ctx, "mfa reset: forgetting remembered devices", () => forgetAllDevices(ctx, user.id));
  return updated[0]!;
}
