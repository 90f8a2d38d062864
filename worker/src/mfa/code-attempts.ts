import { getPrimaryEmail } from "../accounts/accounts.service";
import type { User } from "../accounts/accounts.table";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { InvalidCodeError, ValidationError } from "../lib/errors";
import { MINUTE } from "../lib/time";
import { afterCommit } from "../outbox/enqueue";
import { attemptsLeft, pausedByThis, pausedByThisError, refusedError, reserveAttempt, settleSuccess, slotOf } from "../throttling/guard";
import { type AttemptKey, SECOND_FACTOR_PER_ACCOUNT, secondFactorKey } from "../throttling/policies";
import type { CodeCheck } from "./authenticators";
import { mfaLockedEmail } from "./mfa.emails";

export function checkTotpFormat(input: string): string {
  const code = input.replace(/\s/g, "");
  if (!/^\d{6}$/.test(code)) throw ValidationError.field("code", "Enter the 6-digit code from your authenticator app.");
  return code;
}

/** What one check found: the authenticator's answers, a wrong password, or the recovery code used last. */
export type SecondFactorCheck = CodeCheck | "wrong-password" | "spent";

/**
 * A key of the flow the code is entered in (a pending sign-in), besides the account's own:
 * once it is spent, `spent()` ends the flow and says so.
 */
export interface FlowAttempts {
  key: AttemptKey;
  spent(): Promise<Error>;
}

/** What a wrong code is told; the account merge words it for the other account's app. */
export interface CodeWording {
  wrong: string;
  replayed: string;
  spent?: string;
}

const OWN_APP: CodeWording = {
  wrong: "That code is not right. Enter the newest code from your authenticator app.",
  replayed: "That code was already used. Wait for the next code in your app and enter it.",
};

export const RECOVERY_CODE: CodeWording = {
  wrong: "That recovery code is not right. Check it and try again, or use a code from your authenticator app.",
  replayed: "That recovery code is not right. Check it and try again, or use a code from your authenticator app.",
  spent:
    "That recovery code was already used, and the new one shown then replaced it. Enter your newest recovery code, or use a code from your authenticator app.",
};

/**
 * Runs one second-factor check under the attempt guard: the guess is reserved against the
 * account (10 pause code entry, with one email) and the flow's key before the code is looked
 * at. Returns when the check passed; otherwise throws what the person should be told.
 */
export async function checkSecondFactorAttempt(
  ctx: AppContext,
  user: User,
  check: () => Promise<SecondFactorCheck>,
  flow?: FlowAttempts,
  wording: CodeWording = OWN_APP,
): Promise<void> {
  const account = secondFactorKey(user.id);
  const reservation = await reserveAttempt(ctx.db, flow ? [account, flow.key] : [account], ctx.now());
  if (!reservation.granted) {
    if (flow && slotOf(reservation, flow.key.policy.name)?.pausedUntil) throw await flow.spent();
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
    const mail = await emailIntent(
      ctx,
      mfaLockedEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName, SECOND_FACTOR_PER_ACCOUNT.pauseMs / MINUTE),
      reservation.now,
    );
    await ctx.db.batch([
      auditInsert(
        ctx.db,
        { actorUserId: null, action: "mfa.locked", subjectType: "user", subjectId: user.id, ip: ctx.ip },
        reservation.now,
      ),
      mail.statement,
    ]);
    afterCommit(ctx, [mail.id]);
  }
  if (flow && paused.some((s) => s.slot.key === flow.key.key)) throw await flow.spent();
  const pausedError = pausedByThisError(reservation, accountPaused);
  if (pausedError) throw pausedError;
  if (result === "wrong-password") throw ValidationError.field("password", "That password is not right.");
  throw new InvalidCodeError(
    result === "replayed" ? wording.replayed : result === "spent" ? (wording.spent ?? wording.wrong) : wording.wrong,
    flow ? attemptsLeft(reservation, flow.key.policy.name) : null,
  );
}
