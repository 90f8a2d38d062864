import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";
import { badgeClasses } from "./badge-classes.table";
import { issuers } from "./issuers.table";

export interface Evidence {
  url?: string | null;
  narrative?: string | null;
  /** Set on evidence a micro-credential submission carried (OB Evidence name, description, genre). */
  name?: string | null;
  description?: string | null;
  genre?: string | null;
}

/**
 * How an assessed award judged each rubric criterion, copied from the rubric when it was
 * awarded so the credential keeps saying what was judged (OB 3.0 resultDescription / result).
 */
export interface RubricResult {
  criterionId: string;
  name: string;
  description: string | null;
  /** Level names, lowest first. */
  levels: string[];
  requiredLevel: number;
  achievedLevel: number;
}

/**
 * A badge awarded to an email address (an Open Badges Assertion). It belongs to whichever
 * account has that address verified, found at read time: so it reaches a backpack however
 * late the account or the address arrives, and follows the address through merges.
 */
export const awards = sqliteTable(
  "awards",
  {
    id: text("id").primaryKey(),
    badgeClassId: text("badge_class_id")
      .notNull()
      .references(() => badgeClasses.id),
    issuerId: text("issuer_id")
      .notNull()
      .references(() => issuers.id),
    /** Normalized (trimmed, lower-case) address. */
    recipientEmail: text("recipient_email").notNull(),
    recipientName: text("recipient_name"),
    /** Public documents carry only `sha256$hex(email + salt)` and the salt. */
    recipientSalt: text("recipient_salt").notNull(),
    recipientHash: text("recipient_hash").notNull(),
    narrative: text("narrative"),
    evidence: text("evidence", { mode: "json" }).$type<Evidence[]>().notNull(),
    /** Set on awards a micro-credential assessment made. */
    results: text("results", { mode: "json" }).$type<RubricResult[]>(),
    issuedOn: integer("issued_on", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }),
    /** Makes awarding idempotent: a CSV row uploaded twice has the same key. */
    sourceKey: text("source_key").notNull(),
    awardedBy: text("awarded_by")
      .notNull()
      .references(() => users.id),
    /**
     * The key a client sent with `awardBadge`, unique per awarding user: a retry with the same
     * key gets this award back instead of a second one. `requestHash` tells a retry from a
     * different request that reused the key.
     */
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash"),
    /** When the "you earned a badge" email went out; queue deliveries are at-least-once. */
    notifiedAt: integer("notified_at", { mode: "timestamp_ms" }),
    acceptedAt: integer("accepted_at", { mode: "timestamp_ms" }),
    hiddenAt: integer("hidden_at", { mode: "timestamp_ms" }),
    revokedAt: integer("revoked_at", { mode: "timestamp_ms" }),
    revocationReason: text("revocation_reason"),
    revokedBy: text("revoked_by").references(() => users.id),
    /**
     * The award's bit in its issuer's Bitstring Status List (OB 3.0 revocation), given when its
     * credential is first signed. Drawn at random, so a position says nothing about order.
     */
    statusIndex: integer("status_index"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("awards_recipient_idx").on(t.recipientEmail, t.issuedOn),
    index("awards_issuer_idx").on(t.issuerId, t.createdAt),
    index("awards_badge_class_idx").on(t.badgeClassId),
    uniqueIndex("awards_source_unique").on(t.badgeClassId, t.sourceKey),
    uniqueIndex("awards_idempotency_unique").on(t.awardedBy, t.idempotencyKey),
    uniqueIndex("awards_status_index_unique").on(t.issuerId, t.statusIndex),
  ],
);

export type Award = typeof awards.$inferSelect;
export type AwardStatus = "pending" | "accepted" | "revoked" | "expired";

export function awardStatus(award: Pick<Award, "revokedAt" | "expiresAt" | "acceptedAt">, now: number): AwardStatus {
  if (award.revokedAt) return "revoked";
  if (award.expiresAt && award.expiresAt.getTime() <= now) return "expired";
  return award.acceptedAt ? "accepted" : "pending";
}
