import { getPrimaryEmail } from "../accounts/accounts.service";
import type { User } from "../accounts/accounts.table";
import { auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { SignInExpiredError, ValidationError } from "../lib/errors";
import { checkCode, getActiveAuthenticator } from "../mfa/authenticators";
import { checkSecondFactorAttempt, checkTotpFormat, type FlowAttempts, RECOVERY_CODE } from "../mfa/code-attempts";
import { recoveryCodeUsedEmail } from "../mfa/mfa.emails";
import { type Redemption, redeemRecoveryCode } from "../mfa/recovery-codes";
import { afterCommit } from "../outbox/enqueue";
import type { OutboxWrite } from "../outbox/intents";
import { pendingSignInKey } from "../throttling/policies";
import {
  abandonPendingSignIn,
  advancePendingSignInStatement,
  type PendingSignIn,
  requirePendingSignIn,
  requirePendingUser,
} from "./pending-sign-in";
import { finishSignIn } from "./sign-in.service";

/** A pending sign-in allows five codes; the fifth wrong one ends it and the password comes first again. */
function pendingAttempts(ctx: AppContext, pending: PendingSignIn): FlowAttempts {
  return {
    key: pendingSignInKey(pending.tokenHash),
    async spent() {
      await abandonPendingSignIn(ctx);
      return new SignInExpiredError("Too many wrong codes. Sign in again to try once more.");
    },
  };
}

export async function verifySignInCode(ctx: AppContext, input: { code: string; rememberDevice: boolean }): Promise<User> {
  const code = checkTotpFormat(input.code);
  const pending = await requirePendingSignIn(ctx, ["second-factor"]);
  const [user, authenticator] = await Promise.all([requirePendingUser(ctx, pending), getActiveAuthenticator(ctx, pending.userId)]);
  if (!authenticator) throw new SignInExpiredError();
  await checkSecondFactorAttempt(ctx, user, () => checkCode(ctx, authenticator, code, ctx.now()), pendingAttempts(ctx, pending));
  return finishSignIn(ctx, { ...pending, rememberDevice: input.rememberDevice }, user);
}

/** Signs in with the recovery code, which dies; the new one must be acknowledged before the session starts. */
export async function verifyRecoveryCode(ctx: AppContext, input: { code: string }): Promise<{ recoveryCode: string }> {
  if (!input.code.trim()) throw ValidationError.field("code", "Enter your recovery code.");
  const pending = await requirePendingSignIn(ctx, ["second-factor"]);
  const user = await requirePendingUser(ctx, pending);
  // Set inside the check, which the guard runs.
  const found: { redemption: Redemption } = { redemption: { kind: "wrong" } };
  let mail: OutboxWrite | null = null;
  await checkSecondFactorAttempt(
    ctx,
    user,
    async () => {
      found.redemption = await redeemRecoveryCode(ctx, user.id, input.code, ctx.now(), async (swapped) => {
        const now = ctx.now();
        mail = await emailIntent(ctx, recoveryCodeUsedEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName), now, {
          when: swapped,
        });
        return [
          auditInsertWhere(
            ctx.db,
            { actorUserId: user.id, action: "mfa.recovery-code-used", subjectType: "user", subjectId: user.id, ip: ctx.ip },
            now,
            swapped,
          ),
          mail.statement,
          advancePendingSignInStatement(ctx, pending, "acknowledge", { when: swapped }),
        ];
      });
      return found.redemption.kind === "redeemed" ? "accepted" : found.redemption.kind;
    },
    pendingAttempts(ctx, pending),
    RECOVERY_CODE,
  );
  if (mail) afterCommit(ctx, [(mail as OutboxWrite).id]);
  const { redemption } = found;
  // The check passed, so the code was redeemed.
  if (redemption.kind !== "redeemed") throw new Error("recovery code accepted but not redeemed");
  return { recoveryCode: redemption.replacement };
}
