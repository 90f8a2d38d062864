import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Brute-force counters. They live in D1 because KV is eventually consistent: a burst
 * of guesses spread over edge locations would each read a stale count.
 */
export const attemptCounters = sqliteTable("attempt_counters", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  windowStartedAt: integer("window_started_at", { mode: "timestamp_ms" }).notNull(),
  hourFailures: integer("hour_failures").notNull(),
  hourStartedAt: integer("hour_started_at", { mode: "timestamp_ms" }).notNull(),
  lockedUntil: integer("locked_until", { mode: "timestamp_ms" }),
});
