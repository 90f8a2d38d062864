import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";

/**
 * TOTP authenticators. A user has at most one confirmed row; an unconfirmed row is a set-up
 * or replacement in progress and only becomes the authenticator when a code from it is entered.
 */
export const authenticators = sqliteTable(
  "mfa_authenticators",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** AES-GCM sealed base32 secret, bound to this row's id. */
    secretBox: text("secret_box").notNull(),
    /** The last accepted time step: a code is never accepted twice. */
    lastUsedStep: integer("last_used_step"),
    confirmedAt: integer("confirmed_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("mfa_authenticators_user_idx").on(t.userId)],
);

/** One recovery code per user, stored as its SHA-256; using it replaces it. */
export const recoveryCodes = sqliteTable("mfa_recovery_codes", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id),
  codeHash: text("code_hash").notNull(),
  /** The code used last (SHA-256), so that typing it again is told it was used and replaced. */
  spentCodeHash: text("spent_code_hash"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});

export type Authenticator = typeof authenticators.$inferSelect;
