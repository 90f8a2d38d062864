import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";
import { issuers } from "../badges/issuers.table";

/**
 * An OAuth 2.0 client (RFC 6749 §4.4, client credentials) for integrators whose tooling
 * expects a token endpoint. Like an API token it acts for its creator, for one issuer or the
 * creator's own backpack, within its scopes; its id is public, its secret is shown once and
 * only its SHA-256 is kept (docs/decisions/027-oauth-client-credentials.md).
 */
export const oauthClients = sqliteTable(
  "oauth_clients",
  {
    /** The public `client_id`. */
    id: text("id").primaryKey(),
    issuerId: text("issuer_id").references(() => issuers.id),
    createdByUserId: text("created_by_user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    /** JSON array of scope names (`graphql/api-scopes.ts`): the most a token of this client gets. */
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    secretHash: text("secret_hash").notNull(),
    /** The secret's prefix and last four characters, so a list can tell clients apart. */
    secretHint: text("secret_hint").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** Set when an owner deletes the client: its access tokens are gone and it gets no new ones. */
    deletedAt: integer("deleted_at", { mode: "timestamp_ms" }),
    lastTokenAt: integer("last_token_at", { mode: "timestamp_ms" }),
    lastTokenIp: text("last_token_ip"),
  },
  (t) => [
    index("oauth_clients_issuer").on(t.issuerId, t.createdAt).where(sql`${t.issuerId} is not null`),
    index("oauth_clients_creator").on(t.createdByUserId, t.createdAt),
  ],
);

/**
 * A short-lived access token from the token endpoint, by its SHA-256. Rows of a client are
 * deleted with it, and its expired ones whenever it gets a new token, so the table stays small.
 */
export const oauthAccessTokens = sqliteTable(
  "oauth_access_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthClients.id),
    /** The scopes asked for: the client's, or a subset of them. */
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("oauth_access_tokens_client").on(t.clientId, t.expiresAt)],
);

export type OAuthClient = typeof oauthClients.$inferSelect;
