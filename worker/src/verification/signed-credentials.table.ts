import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { awards } from "../badges/awards.table";

/**
 * Each award's Open Badges 3.0 credential as first signed. A credential is issued once: later
 * reads (any data center, after any cache eviction) serve these exact bytes, and racing first
 * signings agree on the row that landed first. Revocation travels in the status list, never by
 * re-signing.
 */
export const signedCredentials = sqliteTable("signed_credentials", {
  awardId: text("award_id")
    .primaryKey()
    .references(() => awards.id),
  /** The signed credential as served (JSON). */
  document: text("document").notNull(),
  signedAt: integer("signed_at", { mode: "timestamp_ms" }).notNull(),
});
