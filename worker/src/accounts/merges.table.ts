import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.table";

/**
 * One row per account joined into another. Its insert is the first statement of a merge's
 * batch and is conditional on both accounts being active; every other statement of the
 * batch runs only if this row exists, so of two merges racing over the same accounts (A into
 * B while B into A, or the same merge twice) exactly one changes anything.
 */
export const accountMerges = sqliteTable(
  "account_merges",
  {
    id: text("id").primaryKey(),
    fromUserId: text("from_user_id")
      .notNull()
      .references(() => users.id),
    intoUserId: text("into_user_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  // An account is closed by a merge at most once.
  (t) => [uniqueIndex("account_merges_from_unique").on(t.fromUserId), index("account_merges_into_idx").on(t.intoUserId)],
);
