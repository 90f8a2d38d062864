import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { HOUR } from "../lib/time";
import { attemptCounters } from "./attempts.table";

export interface AttemptPolicy {
  /** Failures inside `windowMs` that trigger a lock. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  /** Hard ceiling per rolling hour, whatever the locks allowed. */
  maxPerHour: number;
}

export interface FailureOutcome {
  lockedUntil: number | null;
  /** True for exactly one of several racing requests: the one that set the lock. */
  justLocked: boolean;
}

/** Returns when the key is locked until, or null when it may try. */
export async function getLockedUntil(db: Db, key: string, now: number): Promise<number | null> {
  const row = await db.query.attemptCounters.findFirst({ where: eq(attemptCounters.key, key) });
  if (row?.lockedUntil && row.lockedUntil.getTime() > now) return row.lockedUntil.getTime();
  return null;
}

export async function recordFailure(db: Db, key: string, policy: AttemptPolicy, now: number): Promise<FailureOutcome> {
  // One statement, so concurrent failures each add one (SQLite evaluates SET on the old row).
  const [row] = await db
    .insert(attemptCounters)
    .values({
      key,
      failures: 1,
      windowStartedAt: new Date(now),
      hourFailures: 1,
      hourStartedAt: new Date(now),
      lockedUntil: null,
    })
    .onConflictDoUpdate({
      target: attemptCounters.key,
      set: {
        failures: sql`case when ${attemptCounters.windowStartedAt} <= ${now - policy.windowMs} then 1 else ${attemptCounters.failures} + 1 end`,
        windowStartedAt: sql`case when ${attemptCounters.windowStartedAt} <= ${now - policy.windowMs} then ${now} else ${attemptCounters.windowStartedAt} end`,
        hourFailures: sql`case when ${attemptCounters.hourStartedAt} <= ${now - HOUR} then 1 else ${attemptCounters.hourFailures} + 1 end`,
        hourStartedAt: sql`case when ${attemptCounters.hourStartedAt} <= ${now - HOUR} then ${now} else ${attemptCounters.hourStartedAt} end`,
      },
    })
    .returning();
  if (!row) throw new Error(`attempt counter ${key} was not written`);
  const overWindow = row.failures >= policy.maxFailures;
  const overHour = row.hourFailures >= policy.maxPerHour;
  if (!overWindow && !overHour) {
    return { lockedUntil: row.lockedUntil && row.lockedUntil.getTime() > now ? row.lockedUntil.getTime() : null, justLocked: false };
  }
  const until = overHour ? Math.max(row.hourStartedAt.getTime() + HOUR, now + policy.lockMs) : now + policy.lockMs;
  // Only the request that finds no live lock sets it, so the lock email goes out once.
  const locked = await db
    .update(attemptCounters)
    .set({ lockedUntil: new Date(until), failures: 0, windowStartedAt: new Date(now) })
    .where(sql`${attemptCounters.key} = ${key} and (${attemptCounters.lockedUntil} is null or ${attemptCounters.lockedUntil} <= ${now})`)
    .returning({ key: attemptCounters.key });
  return { lockedUntil: until, justLocked: locked.length > 0 };
}

export async function clearFailures(db: Db, key: string): Promise<void> {
  await db.delete(attemptCounters).where(eq(attemptCounters.key, key));
}
