import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";
import { ISSUER_ROLES, issuers } from "./issuers.table";

/**
 * pending: its link works (until `expiresAt`); accepted, declined, revoked: decided, kept for
 * the record; replaced: the owner invited the address again, and only the newer one counts.
 */
export const INVITATION_STATUSES = ["pending", "accepted", "declined", "revoked", "replaced"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/**
 * An owner's invitation of an email address to act for an issuer. The emailed token is kept
 * only as its SHA-256; resending replaces the hash, so the older link stops working.
 */
export const issuerInvitations = sqliteTable(
  "issuer_invitations",
  {
    id: text("id").primaryKey(),
    issuerId: text("issuer_id")
      .notNull()
      .references(() => issuers.id),
    /** Normalised, as accounts store addresses. */
    email: text("email").notNull(),
    role: text("role", { enum: ISSUER_ROLES }).notNull(),
    tokenHash: text("token_hash").notNull(),
    status: text("status", { enum: INVITATION_STATUSES }).notNull(),
    invitedByUserId: text("invited_by_user_id").references(() => users.id),
    acceptedByUserId: text("accepted_by_user_id").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** When the newest link was sent. */
    sentAt: integer("sent_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("issuer_invitations_token_unique").on(t.tokenHash),
    // One live invitation per address and issuer: inviting again replaces it in the same batch.
    uniqueIndex("issuer_invitations_one_pending").on(t.issuerId, t.email).where(sql`${t.status} = 'pending'`),
    index("issuer_invitations_issuer_idx").on(t.issuerId, t.status),
  ],
);

export type IssuerInvitation = typeof issuerInvitations.$inferSelect;
