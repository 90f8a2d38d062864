import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";

/**
 * An account at an OpenID provider that signs in to a Laurel account. Keyed by (issuer,
 * subject): the email can change or be reassigned at the provider, the subject cannot.
 */
export const ssoIdentities = sqliteTable(
  "sso_identities",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    /** The configured provider's name, for display; the issuer is what identifies. */
    provider: text("provider").notNull(),
    /** The ID token's `iss` (tenant-specific for multi-tenant providers). */
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    /** The address the provider last reported; informational only, never used to match. */
    email: text("email"),
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    lastUsedAt: integer("last_used_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("sso_identities_issuer_subject_unique").on(t.issuer, t.subject), index("sso_identities_user_idx").on(t.userId)],
);

/**
 * An authorization request in progress, between the redirect to the provider and its
 * callback. Found by the SHA-256 of `state`; deleted when the callback consumes it.
 */
export const ssoFlows = sqliteTable(
  "sso_flows",
  {
    stateHash: text("state_hash").primaryKey(),
    provider: text("provider").notNull(),
    nonce: text("nonce").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    purpose: text("purpose", { enum: ["sign-in", "link"] }).notNull(),
    /** The signed-in user who asked to link; null for sign-in. */
    userId: text("user_id").references(() => users.id),
    /** A same-site path, checked before it was stored. */
    returnTo: text("return_to").notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("sso_flows_expires_idx").on(t.expiresAt)],
);

export type SsoIdentity = typeof ssoIdentities.$inferSelect;
export type SsoFlow = typeof ssoFlows.$inferSelect;
