import { and, eq, gt, gte, inArray, lt, not, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../database";
import { randomToken } from "../lib/crypto";
import { RateLimitedError } from "../lib/errors";
import { MINUTE, SECOND } from "../lib/time";
import { type AttemptWindow, attemptWindows } from "./attempts.table";
import type { AttemptKey } from "./policies";

/**
 * The one brute-force guard (docs/decisions/012-attempt-reservation.md). An attempt is
 * reserved before the guess is checked: one conditional upsert per key both counts and
 * refuses, so however many guesses arrive at once, no more than a policy's limit are ever
 * checked. The keys of one attempt are reserved in one D1 batch, all of them or none.
 */

export interface SlotState {
  slot: AttemptKey;
  /** Attempts reserved in the current window, this one included. */
  attempts: number;
  windowStartedAt: number;
  pausedUntil: number | null;
}

export interface GrantedReservation {
  granted: true;
  holder: string;
  now: number;
  slots: SlotState[];
}

export interface RefusedReservation {
  granted: false;
  now: number;
  slots: SlotState[];
  /** The paused key that stays paused longest: its policy words the refusal. */
  refusedBy: SlotState;
  retryAfterMs: number;
}

export type Reservation = GrantedReservation | RefusedReservation;

/** Expired rows deleted by each reservation, so the table holds only live windows. */
const PURGE_PER_RESERVATION = 20;

/**
 * Reserves one attempt on every key, or on none. Only a granted reservation may check its
 * guess; the caller then settles it with `settleSuccess` when the guess was right (a wrong
 * guess simply stays counted).
 */
export async function reserveAttempt(db: Db, slots: AttemptKey[], now: number): Promise<Reservation> {
  if (slots.length === 0) throw new Error("reserveAttempt needs at least one key");
  if (new Set(slots.map((s) => s.key)).size !== slots.length) throw new Error("reserveAttempt got the same key twice");
  const holder = randomToken(16);
  const keys = slots.map((s) => s.key);
  const last = keys.at(-1)!;
  const lastHeld = sql`exists (select 1 from attempt_windows as last where last.key = ${last} and last.holder = ${holder})`;
  const results = await db.batch([
    db.delete(attemptWindows).where(
      inArray(
        attemptWindows.key,
        db
          .select({ key: attemptWindows.key })
          .from(attemptWindows)
          .where(lt(attemptWindows.expiresAt, new Date(now)))
          .limit(PURGE_PER_RESERVATION),
      ),
    ),
    // Every key gets a row first, so each reservation below is one conditional UPDATE.
    db
      .insert(attemptWindows)
      .values(
        slots.map((s) => ({
          key: s.key,
          attempts: 0,
          windowStartedAt: new Date(now),
          expiresAt: new Date(now + s.policy.windowMs),
        })),
      )
      .onConflictDoNothing(),
    ...slots.map((slot, i) => reserveStatement(db, slot, keys[i - 1] ?? null, holder, now)),
    // A later key refused: hand back what the earlier ones counted, in the same transaction.
    ...slots.slice(0, -1).map((slot) =>
      db
        .update(attemptWindows)
        .set({ attempts: sql`${attemptWindows.attempts} - 1`, pausedUntil: null, holder: null })
        .where(and(eq(attemptWindows.key, slot.key), eq(attemptWindows.holder, holder), not(lastHeld))),
    ),
    db.select().from(attemptWindows).where(inArray(attemptWindows.key, keys)),
  ]);
  const rows = results.at(-1) as AttemptWindow[];
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const states = slots.map((slot): SlotState & { held: boolean } => {
    const row = byKey.get(slot.key);
    return {
      slot,
      attempts: row?.attempts ?? 0,
      windowStartedAt: row?.windowStartedAt.getTime() ?? now,
      pausedUntil: row?.pausedUntil?.getTime() ?? null,
      held: row?.holder === holder,
    };
  });
  const granted = states.every((s) => s.held);
  const plain = states.map(({ held: _, ...s }) => s);
  if (granted) return { granted: true, holder, now, slots: plain };
  const paused = plain.filter((s) => s.pausedUntil !== null && s.pausedUntil > now);
  const refusedBy = paused.reduce<SlotState | undefined>((a, b) => (a && a.pausedUntil! >= b.pausedUntil! ? a : b), undefined);
  // Without a live pause a key refuses only when its window is full (a policy changed its limit).
  const fallback = plain.find((s) => s.attempts >= s.slot.policy.limit) ?? plain[0]!;
  const by = refusedBy ?? fallback;
  const until = by.pausedUntil ?? by.windowStartedAt + by.slot.policy.windowMs;
  return { granted: false, now, slots: plain, refusedBy: by, retryAfterMs: Math.max(SECOND, until - now) };
}

/**
 * Counts one attempt on `slot` if the key is not paused and its window has room; the first
 * key of a reservation may always try, each later one only if the key before it was granted
 * to this same reservation. Reaching the limit starts the pause in the same statement, and
 * every SET expression reads the row as it was, so racing statements each count once.
 */
function reserveStatement(db: Db, slot: AttemptKey, previousKey: string | null, holder: string, now: number) {
  const { limit, windowMs, pauseMs } = slot.policy;
  const w = attemptWindows;
  const fresh = sql`(${w.windowStartedAt} <= ${now - windowMs} or (${w.pausedUntil} is not null and ${w.pausedUntil} <= ${now}))`;
  const next = sql`(case when ${fresh} then 1 else ${w.attempts} + 1 end)`;
  const start = sql`(case when ${fresh} then ${now} else ${w.windowStartedAt} end)`;
  const pause = sql`(case when ${next} >= ${limit} then ${now + pauseMs} end)`;
  const mayTry =
    previousKey === null
      ? sql`1`
      : sql`exists (select 1 from attempt_windows as previous where previous.key = ${previousKey} and previous.holder = ${holder})`;
  return db
    .update(w)
    .set({
      attempts: next,
      windowStartedAt: start,
      pausedUntil: pause,
      holder,
      expiresAt: sql`max(${start} + ${windowMs}, coalesce(${pause}, 0))`,
    })
    .where(
      and(
        eq(w.key, slot.key),
        sql`(${w.pausedUntil} is null or ${w.pausedUntil} <= ${now})`,
        sql`(${fresh} or ${w.attempts} < ${limit})`,
        mayTry,
      ),
    );
}

/** The state of `policy`'s key in a reservation (each policy appears at most once). */
export function slotOf(reservation: Reservation, policyName: string): SlotState | undefined {
  return reservation.slots.find((s) => s.slot.policy.name === policyName);
}

/**
 * The keys this attempt paused: it was the one that reached their limit. Exactly one
 * reservation per pause sees this, so it is what decides that a notice goes out once.
 */
export function pausedByThis(reservation: GrantedReservation): SlotState[] {
  return reservation.slots.filter((s) => s.attempts >= s.slot.policy.limit && s.pausedUntil !== null);
}

/** How many more attempts `policyName`'s key allows in its window after this one. */
export function attemptsLeft(reservation: GrantedReservation, policyName: string): number | null {
  const state = slotOf(reservation, policyName);
  return state ? Math.max(0, state.slot.policy.limit - state.attempts) : null;
}

/**
 * The guess was right: each key does what its policy says. `clear` forgets the key (the
 * person proved they are who the key is about); `release` hands back this one attempt, so
 * only failures count against shared keys such as an IP; `keep` leaves it counted.
 */
export function settleSuccessStatements(db: Db, reservation: GrantedReservation): BatchItem<"sqlite">[] {
  const w = attemptWindows;
  return reservation.slots.flatMap((s): BatchItem<"sqlite">[] => {
    const { onSuccess, limit } = s.slot.policy;
    if (onSuccess === "clear") return [db.delete(w).where(eq(w.key, s.slot.key))];
    if (onSuccess === "release") {
      return [
        db
          .update(w)
          .set({
            attempts: sql`${w.attempts} - 1`,
            pausedUntil: sql`case when ${w.attempts} - 1 < ${limit} then null else ${w.pausedUntil} end`,
          })
          // Only within the window it was counted in: a later window owes it nothing.
          .where(and(eq(w.key, s.slot.key), eq(w.windowStartedAt, new Date(s.windowStartedAt)), gt(w.attempts, 0))),
      ];
    }
    return [];
  });
}

export async function settleSuccess(db: Db, reservation: GrantedReservation): Promise<void> {
  const [first, ...rest] = settleSuccessStatements(db, reservation);
  if (first) await db.batch([first, ...rest]);
}

/** Forgets one key, unexecuted for the caller's batch (a new code starts with a full set of tries). */
export function clearAttemptsStatement(db: Db, slot: AttemptKey) {
  return db.delete(attemptWindows).where(eq(attemptWindows.key, slot.key));
}

/**
 * Forgets every key that starts with `prefix` (for example every network's count for one
 * address), unexecuted. Key parts are URI-encoded, so the range stays on the primary key.
 */
export function clearAttemptsWithPrefixStatement(db: Db, prefix: string) {
  return db.delete(attemptWindows).where(and(gte(attemptWindows.key, prefix), lt(attemptWindows.key, `${prefix}\uffff`)));
}

/** "N minutes" (or seconds, under a minute): how long something stays paused. */
export function pauseDuration(ms: number): string {
  if (ms < MINUTE) {
    const seconds = Math.max(1, Math.ceil(ms / SECOND));
    return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  }
  const minutes = Math.ceil(ms / MINUTE);
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

/** The one way a refusal reads: the policy's sentence around how long the pause lasts. */
export function pausedError(state: SlotState, retryAfterMs: number): RateLimitedError {
  return new RateLimitedError(state.slot.policy.pausedMessage(pauseDuration(retryAfterMs)), Math.ceil(retryAfterMs / SECOND));
}

/** The refusal of a refused reservation. */
export function refusedError(reservation: RefusedReservation): RateLimitedError {
  return pausedError(reservation.refusedBy, reservation.retryAfterMs);
}

/** After a wrong guess that reached a limit: the refusal for the longest pause it started. */
export function pausedByThisError(reservation: GrantedReservation, states: SlotState[]): RateLimitedError | null {
  const longest = states.reduce<SlotState | undefined>((a, b) => (a && a.pausedUntil! >= b.pausedUntil! ? a : b), undefined);
  return longest ? pausedError(longest, longest.pausedUntil! - reservation.now) : null;
}
