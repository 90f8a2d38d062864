import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";

/**
 * Emailed sign-in links: a random 256-bit token, stored only as its SHA-256, that lets its
 * account's right password through once within 30 minutes while the address's ceiling of
 * failed sign-ins is reached (see docs/decisions/012-attempt-reservation.md).
 */
export const signInLinks = sqliteTable(
  "sign_in_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("sign_in_links_expires_idx").on(t.expiresAt)],
);

export type SignInLink = typeof signInLinks.$inferSelect;
