import type { BatchItem } from "drizzle-orm/batch";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { ActivationPendingError, InvalidCredentialsError } from "../lib/errors";
import { MINUTE } from "../lib/time";
import { afterCommit } from "../outbox/enqueue";
import {
  type GrantedReservation,
  pausedByThis,
  pausedByThisError,
  refusedError,
  reserveAttempt,
  type SlotState,
  settleSuccess,
} from "../throttling/guard";
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

type PasswordAttemptDeps = Pick<AppContext, "db" | "config" | "ip" | "now" | "env" | "waitUntil">;

/** What to write, in the batch that records it, when a guess reaches the address's ceiling. */
export type CeilingNotice = (user: User, minutes: number, now: number) => Promise<{ statements: BatchItem<"sqlite">[]; mailIds: string[] }>;

export interface PasswordAttemptOptions {
  /** The keys to reserve; by default the address on this network, the network and the address. */
  keys?: AttemptKey[];
  /** Replaces the plain "sign-in is paused" notice when the ceiling is reached (sign-in adds a link). */
  ceilingNotice?: CeilingNotice;
  /**
   * The password hash of a registration at this address still waiting for its emailed code.
   * Its password is tried in the same guess: whoever knows it learns the account waits for
   * its code; it costs a second hash only when such a registration exists, which anyone can
   * cause and which says nothing about an account.
   */
  pendingRegistrationHash?: string | null;
}

/**
 * Checks a password typed for `address` under the attempt guard: the guess is reserved on
 * every key first, so no burst gets more than the limits checked. `user` is the account at
 * the address, or null: the work and the answers are the same either way. Returns the
 * account when the password is right; otherwise throws InvalidCredentialsError, or
 * RateLimitedError once a key is paused (ActivationPendingError for a waiting registration's).
 */
export async function checkPasswordAttempt(
  ctx: PasswordAttemptDeps,
  address: string,
  user: User | null,
  password: string,
  options: PasswordAttemptOptions = {},
): Promise<User> {
  const now = ctx.now();
  const reservation = await reserveAttempt(ctx.db, options.keys ?? passwordKeys(address, ctx.ip), now);
  if (!reservation.granted) throw refusedError(reservation);
  const ok = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : await burnPasswordCheck(password);
  if (ok && user) {
    await settleSuccess(ctx.db, reservation);
    return user;
  }
  if (options.pendingRegistrationHash && (await verifyPassword(password, options.pendingRegistrationHash))) {
    await settleSuccess(ctx.db, reservation);
    throw new ActivationPendingError(address);
  }
  const paused = pausedByThis(reservation);
  if (paused.some((s) => s.slot.policy === PASSWORD_PER_ADDRESS_AND_IP || s.slot.policy === PASSWORD_PER_ADDRESS)) {
    await tellOwnerPasswordPaused(ctx, reservation, paused, address, user, options.ceilingNotice);
  }
  throw pausedByThisError(reservation, paused) ?? new InvalidCredentialsError();
}

/**
 * Someone paused password sign-in to this address: the owner hears about it, at most once
 * an hour however many networks keep trying, and always when the address's ceiling is
 * reached. The notice key is reserved for unknown addresses too, so the work does not say
 * whether an account exists.
 */
async function tellOwnerPasswordPaused(
  ctx: PasswordAttemptDeps,
  reservation: GrantedReservation,
  paused: SlotState[],
  address: string,
  user: User | null,
  ceilingNotice: CeilingNotice | undefined,
) {
  const notice = await reserveAttempt(ctx.db, [passwordPauseNoticeKey(address)], reservation.now);
  if (!user) return;
  const minutes = Math.round(Math.max(...paused.map((s) => s.slot.policy.pauseMs)) / MINUTE);
  const ceiling = paused.some((s) => s.slot.policy === PASSWORD_PER_ADDRESS);
  let follow: { statements: BatchItem<"sqlite">[]; mailIds: string[] } = { statements: [], mailIds: [] };
  if (ceiling && ceilingNotice) follow = await ceilingNotice(user, minutes, reservation.now);
  else if (notice.granted) {
    const mail = await emailIntent(ctx, accountLockedEmail(address, ctx.config.appUrl, user.firstName, minutes), reservation.now);
    follow = { statements: [mail.statement], mailIds: [mail.id] };
  }
  await ctx.db.batch([
    auditInsert(
      ctx.db,
      { actorUserId: null, action: "account.sign-in-locked", subjectType: "user", subjectId: user.id, ip: ctx.ip },
      reservation.now,
    ),
    ...follow.statements,
  ]);
  afterCommit(ctx, follow.mailIds);
}
