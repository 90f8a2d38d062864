import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";

/**
 * The state between the first factor and a full session: short-lived, held by its own
 * cookie, stored as a hash. Its wrong codes are counted by the attempt guard, keyed by this hash.
 */
export const pendingSignIns = sqliteTable("pending_sign_ins", {
  tokenHash: text("token_hash").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  /**
   * setup: enrol an authenticator; second-factor: enter a code; acknowledge: a recovery code
   * was shown and the user must confirm they saved it before the session starts.
   */
  stage: text("stage", { enum: ["setup", "second-factor", "acknowledge"] }).notNull(),
  /** How the first factor passed, for the audit trail. */
  method: text("method").notNull(),
  rememberDevice: integer("remember_device", { mode: "boolean" }).notNull().default(false),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
});

export type PendingSignIn = typeof pendingSignIns.$inferSelect;
