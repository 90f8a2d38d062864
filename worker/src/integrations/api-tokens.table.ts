import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";
import { issuers } from "../badges/issuers.table";

/**
 * A machine's credential for the GraphQL API. With `issuerId` it acts for that issuer, with
 * its creator's role there as the ceiling; without, it reads its creator's own backpack. The
 * secret is shown once; only its SHA-256 is kept (a 256-bit random value needs no slow hash).
 */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    issuerId: text("issuer_id").references(() => issuers.id),
    createdByUserId: text("created_by_user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    /** JSON array of scope names (`graphql/api-scopes.ts`). */
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    tokenHash: text("token_hash").notNull(),
    /** The prefix and the last four characters, so a list can tell tokens apart. */
    hint: text("hint").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }),
    lastUsedIp: text("last_used_ip"),
  },
  (t) => [
    uniqueIndex("api_tokens_hash_unique").on(t.tokenHash),
    index("api_tokens_issuer").on(t.issuerId, t.createdAt).where(sql`${t.issuerId} is not null`),
    index("api_tokens_creator").on(t.createdByUserId, t.createdAt),
  ],
);

export type ApiToken = typeof apiTokens.$inferSelect;
