import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { InvalidCredentialsError } from "../lib/errors";
import { MINUTE } from "../lib/time";
import { afterCommit } from "../outbox/enqueue";
import { type GrantedReservation, pausedByThis, pausedByThisError, refusedError, reserveAttempt, settleSuccess } from "../throttling/guard";
import {
  type AttemptKey,
  PASSWORD_PER_ADDRESS,
  PASSWORD_PER_ADDRESS_AND_IP,
  passwordKeys,
  passwordPauseNoticeKey,
} from "../throttling/policies";
import { accountLockedEmail } from "./accounts.emails";
import type { User } from "./accounts.table";
import { burnPasswordCheck, verifyPassword } from "./password";

/**
 * Checks a password typed for `address` under the attempt guard: the guess is reserved on
 * every key first, so no burst gets more than the limits checked. `user` is the account at
 * the address, or null: the work and the answers are the same either way. Returns the
 * account when the password is right; otherwise throws InvalidCredentialsError, or
 * RateLimitedError once a key is paused.
 */
type PasswordAttemptDeps = Pick<AppContext, "db" | "config" | "ip" | "now" | "env" | "waitUntil">;

export async function checkPasswordAttempt(
  ctx: PasswordAttemptDeps,
  address: string,
  user: User | null,
  password: string,
  keys: AttemptKey[] = passwordKeys(address, ctx.ip),
): Promise<User> {
  const now = ctx.now();
  const reservation = await reserveAttempt(ctx.db, keys, now);
  if (!reservation.granted) throw refusedError(reservation);
  const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : await burnPasswordCheck(password);
  if (ok && user) {
    await settleSuccess(ctx.db, reservation);
    return user;
  }
  const paused = pausedByThis(reservation);
  if (paused.some((s) => s.slot.policy === PASSWORD_PER_ADDRESS_AND_IP || s.slot.policy === PASSWORD_PER_ADDRESS)) {
    await tellOwnerPasswordPaused(ctx, reservation, address, user);
  }
  throw pausedByThisError(reservation, paused) ?? new InvalidCredentialsError();
}

/**
 * Someone paused password sign-in to this address: the owner hears about it, at most once
 * an hour however many networks keep trying. The notice key is reserved for unknown
 * addresses too, so the work does not say whether an account exists.
 */
async function tellOwnerPasswordPaused(ctx: PasswordAttemptDeps, reservation: GrantedReservation, address: string, user: User | null) {
  const notice = await reserveAttempt(ctx.db, [passwordPauseNoticeKey(address)], reservation.now);
  if (!user) return;
  const longest = Math.max(...pausedByThis(reservation).map((s) => s.slot.policy.pauseMs));
  const mail = notice.granted
    ? await emailIntent(ctx, accountLockedEmail(address, ctx.config.appUrl, user.firstName, Math.round(longest / MINUTE)), reservation.now)
    : null;
  await ctx.db.batch([
    auditInsert(
      ctx.db,
      { actorUserId: null, action: "account.sign-in-locked", subjectType: "user", subjectId: user.id, ip: ctx.ip },
      reservation.now,
    ),
    ...(mail ? [mail.statement] : []),
  ]);
  if (mail) afterCommit(ctx, [mail.id]);
}
