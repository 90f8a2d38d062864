import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The transactional outbox: work that must follow a commit (an email, later a webhook or a
 * signature), written in the same D1 batch as the change, so the change never commits
 * without it. The Queue consumer does the work; a Cron Trigger re-queues what the request
 * could not hand over. See docs/decisions/013-transactional-outbox.md.
 * (Not `email_outbox`: that is the development mailbox, what the dev transport delivered.)
 */
export const outboxEvents = sqliteTable(
  "outbox_events",
  {
    id: text("id").primaryKey(),
    /** What happened or what to do, e.g. `award.created`, `email.send`; picks the handlers. */
    kind: text("kind").notNull(),
    /** At most one event per key, e.g. `award.created:<awardId>`: writing an intent twice is harmless. */
    key: text("key").unique(),
    /** JSON, or with `sealed` an AES-GCM box of the JSON (it may carry a code); emptied once done. */
    payload: text("payload").notNull(),
    sealed: integer("sealed", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: ["pending", "done", "failed"] })
      .notNull()
      .default("pending"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Not worked before this time: the retry backoff. */
    availableAt: integer("available_at", { mode: "timestamp_ms" }).notNull(),
    /** Last handed to the Queue; the cron hands it over again when this is long ago and it is not done. */
    queuedAt: integer("queued_at", { mode: "timestamp_ms" }),
    /** A consumer is working on it until then; a consumer that died loses it at that time. */
    claimedUntil: integer("claimed_until", { mode: "timestamp_ms" }),
    /** Counted when a consumer claims the event, before the work: a crash counts too. */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    /** When it became done or failed. */
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("outbox_events_due_idx").on(t.availableAt).where(sql`status = 'pending'`),
    index("outbox_events_finished_idx").on(t.status, t.finishedAt),
  ],
);

export type OutboxEventRow = typeof outboxEvents.$inferSelect;
