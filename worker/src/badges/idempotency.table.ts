import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";

/**
 * What an idempotency key of a creating mutation other than `awardBadge` (whose key lives on
 * the award) first answered: a retry with the same key and request gets `result` back, a
 * different request with it is refused. The row is claimed in the batch of the change, so of
 * concurrent retries exactly one (the one whose insert counted a row) makes the change.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** The mutation, e.g. `bulkAward`: one key may be used once per mutation. */
    operation: text("operation").notNull(),
    key: text("key").notNull(),
    /** SHA-256 of the request as the mutation defines it: a retry must repeat it exactly. */
    requestHash: text("request_hash").notNull(),
    /** Random per request: which request's claim this row is, for the rest of its batch. */
    holder: text("holder").notNull(),
    /** JSON of the first answer. */
    result: text("result", { mode: "json" }).$type<unknown>(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.operation, t.key] })],
);
