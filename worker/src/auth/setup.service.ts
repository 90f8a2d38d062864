import { getPrimaryEmail } from "../accounts/accounts.service";
import type { User } from "../accounts/accounts.table";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { InvalidCodeError, ValidationError } from "../lib/errors";
import { beginEnrolment, checkCode, confirmEnrolmentStatements, type Enrolment, getEnrolment } from "../mfa/authenticators";
import { checkTotpFormat } from "../mfa/code-attempts";
import { mfaEnabledEmail } from "../mfa/mfa.emails";
import { newRecoveryCode, storeRecoveryCodeStatement } from "../mfa/recovery-codes";
import { afterCommit } from "../outbox/enqueue";
import { advancePendingSignInStatement, requirePendingSignIn, requirePendingUser } from "./pending-sign-in";
import { finishSignIn } from "./sign-in.service";

// Set-up at the first sign-in of an account without an authenticator.

export async function beginSignInSetup(ctx: AppContext): Promise<Enrolment> {
  const pending = await requirePendingSignIn(ctx, ["setup"]);
  const user = await requirePendingUser(ctx, pending);
  const enrolment = await beginEnrolment(ctx, user.id, await getPrimaryEmail(ctx, user.id), ctx.now());
  // The set-up page says how this account signs in: a password, or only Google or Microsoft.
  return { ...enrolment, hasPassword: Boolean(user.passwordHash) };
}

/** Confirms the new authenticator with a code from it and returns the first recovery code. */
export async function confirmSignInSetup(ctx: AppContext, input: { code: string }): Promise<{ recoveryCode: string }> {
  const code = checkTotpFormat(input.code);
  const pending = await requirePendingSignIn(ctx, ["setup"]);
  const user = await requirePendingUser(ctx, pending);
  const enrolment = await getEnrolment(ctx, user.id);
  if (!enrolment) throw ValidationError.field("code", "Set-up was restarted elsewhere. Scan the new QR code.");
  const now = ctx.now();
  // Codes from an app being set up are not guesses at an existing secret: no attempt counting.
  const result = await checkCode(ctx, enrolment, code, now);
  if (result !== "accepted")
    throw new InvalidCodeError("That code is not right. Check that the app shows a code for Laurel and enter the newest one.");
  const recovery = await newRecoveryCode();
  const mail = await emailIntent(ctx, mfaEnabledEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName), now);
  await ctx.db.batch([
    ...confirmEnrolmentStatements(ctx, enrolment, now),
    storeRecoveryCodeStatement(ctx, user.id, recovery.hash, now),
    auditInsert(ctx.db, { actorUserId: user.id, action: "mfa.enabled", subjectType: "user", subjectId: user.id, ip: ctx.ip }, now),
    mail.statement,
    advancePendingSignInStatement(ctx, pending, "acknowledge"),
  ]);
  afterCommit(ctx, [mail.id]);
  return { recoveryCode: recovery.code };
}

/** "I have saved this code": the only way from a shown recovery code to a session. */
export async function acknowledgeRecoveryCode(ctx: AppContext): Promise<User> {
  const pending = await requirePendingSignIn(ctx, ["acknowledge"]);
  const user = await requirePendingUser(ctx, pending);
  return finishSignIn(ctx, pending, user);
}
