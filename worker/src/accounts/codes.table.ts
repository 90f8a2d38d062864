import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One live emailed code per (purpose, address). The row carries what the code unlocks
 * (for a registration: the name, password hash and accepted terms), so nothing about an
 * unverified registration touches `users`. Tries and sends are counted by the attempt guard
 * (`throttling/`), not here.
 */
export const emailCodes = sqliteTable(
  "email_codes",
  {
    purpose: text("purpose", { enum: ["register", "reset-password", "add-email", "ticket"] }).notNull(),
    address: text("address").notNull(),
    codeHash: text("code_hash").notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.purpose, t.address] })],
);

export type EmailCode = typeof emailCodes.$inferSelect;
