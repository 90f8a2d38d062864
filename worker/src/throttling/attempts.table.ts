import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One row per throttled key (see `policies.ts`): how many attempts were reserved in the
 * current window and, once the limit is reached, until when the key refuses. In D1, not KV:
 * KV is eventually consistent, so a burst spread over edge locations would each read a stale
 * count; here one statement counts and refuses (see `guard.ts`).
 */
export const attemptWindows = sqliteTable(
  "attempt_windows",
  {
    key: text("key").primaryKey(),
    attempts: integer("attempts").notNull(),
    windowStartedAt: integer("window_started_at", { mode: "timestamp_ms" }).notNull(),
    pausedUntil: integer("paused_until", { mode: "timestamp_ms" }),
    /**
     * The random id of the reservation that last counted here. The statements of one batch
     * read it to see whether the keys before them were granted, so several keys are reserved
     * all together or not at all.
     */
    holder: text("holder"),
    /** When the row stops mattering (window over, pause over): housekeeping deletes it after. */
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("attempt_windows_expires_idx").on(t.expiresAt)],
);

export type AttemptWindow = typeof attemptWindows.$inferSelect;
