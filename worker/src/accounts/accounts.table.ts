import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  firstName: text("first_name").notNull(),
  lastName: text("last_name").notNull(),
  /** Self-describing PBKDF2 hash; null for accounts that only sign in through SSO. */
  passwordHash: text("password_hash"),
  role: text("role", { enum: ["learner", "staff"] })
    .notNull()
    .default("learner"),
  status: text("status", { enum: ["active", "closed"] })
    .notNull()
    .default("active"),
  termsVersion: text("terms_version").notNull(),
  termsAcceptedAt: integer("terms_accepted_at", { mode: "timestamp_ms" }).notNull(),
  /** Bumped on password change; sessions and remembered devices minted before it are dead. */
  credentialsChangedAt: integer("credentials_changed_at", { mode: "timestamp_ms" }).notNull(),
  /** Remembered devices from before this time ask for a code again (MFA reset, "forget all"). */
  devicesTrustedFrom: integer("devices_trusted_from", { mode: "timestamp_ms" }),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

/** Only verified addresses live here: an address belongs to at most one account. */
export const emails = sqliteTable(
  "emails",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    address: text("address").notNull(),
    isPrimary: integer("is_primary", { mode: "boolean" }).notNull().default(false),
    verifiedAt: integer("verified_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("emails_address_unique").on(t.address),
    index("emails_user_idx").on(t.userId),
    uniqueIndex("emails_one_primary").on(t.userId).where(sql`${t.isPrimary} = 1`),
  ],
);

export type User = typeof users.$inferSelect;
export type Email = typeof emails.$inferSelect;
