import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";
import { awards } from "../badges/awards.table";
import { badgeClasses } from "../badges/badge-classes.table";
import { issuers } from "../badges/issuers.table";

export const PATHWAY_STATES = ["draft", "published", "archived"] as const;
export type PathwayState = (typeof PATHWAY_STATES)[number];

/** all: every item of the requirement; at-least: `requiredCount` of them. */
export const JUNCTIONS = ["all", "at-least"] as const;
export type Junction = (typeof JUNCTIONS)[number];

/**
 * A pathway an issuer chains out of badges: a tree of steps whose root is the pathway itself
 * (its own junction over its top-level steps and badge classes). Learners see it only once
 * published; archived ones stay readable for their subscribers but award nothing more.
 */
export const pathways = sqliteTable(
  "pathways",
  {
    id: text("id").primaryKey(),
    issuerId: text("issuer_id")
      .notNull()
      .references(() => issuers.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** Key of the picture in the FILES bucket. */
    imageKey: text("image_key"),
    /** Awarded, once, to each subscriber who completes the whole pathway; one of the issuer's own badge classes. */
    completionBadgeClassId: text("completion_badge_class_id").references(() => badgeClasses.id),
    junction: text("junction", { enum: JUNCTIONS }).notNull().default("all"),
    requiredCount: integer("required_count"),
    state: text("state", { enum: PATHWAY_STATES }).notNull().default("draft"),
    /**
     * Bumped by every edit of the tree and every state change: a completion is written only
     * if the pathway is still at the version it was judged against.
     */
    version: integer("version").notNull().default(1),
    /** Who completion awards name as their awarder. */
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }),
  },
  (t) => [index("pathways_issuer_idx").on(t.issuerId, t.state)],
);

/**
 * A step of a pathway. `parentId` is the pathway's id for a top-level step, or another step's;
 * `position` orders siblings. Its requirement is its badge classes (pathway_requirements) and
 * its child steps, joined by `junction`.
 */
export const pathwaySteps = sqliteTable(
  "pathway_steps",
  {
    id: text("id").primaryKey(),
    pathwayId: text("pathway_id")
      .notNull()
      .references(() => pathways.id),
    parentId: text("parent_id").notNull(),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    completionBadgeClassId: text("completion_badge_class_id").references(() => badgeClasses.id),
    junction: text("junction", { enum: JUNCTIONS }).notNull().default("all"),
    requiredCount: integer("required_count"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("pathway_steps_pathway_idx").on(t.pathwayId, t.parentId, t.position)],
);

/** A badge class a node (the pathway, by its id, or a step) requires; of any issuer on Laurel. */
export const pathwayRequirements = sqliteTable(
  "pathway_requirements",
  {
    pathwayId: text("pathway_id")
      .notNull()
      .references(() => pathways.id),
    nodeId: text("node_id").notNull(),
    badgeClassId: text("badge_class_id")
      .notNull()
      .references(() => badgeClasses.id),
    position: integer("position").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.nodeId, t.badgeClassId] }),
    index("pathway_requirements_pathway_idx").on(t.pathwayId),
    // "Pathway opportunities": the pathways that require a badge class the learner holds.
    index("pathway_requirements_badge_class_idx").on(t.badgeClassId),
  ],
);

/** A learner following a pathway: by accepting an invitation, or by joining a published one. */
export const pathwaySubscriptions = sqliteTable(
  "pathway_subscriptions",
  {
    pathwayId: text("pathway_id")
      .notNull()
      .references(() => pathways.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.pathwayId, t.userId] }), index("pathway_subscriptions_user_idx").on(t.userId)],
);

/**
 * That a subscriber met a node's requirement (the pathway's or a step's), recorded once: the
 * unique index decides which of racing evaluations writes it, and only that one awards the
 * node's completion badge. Kept when the learner later stops qualifying (a revoked badge):
 * the issuer sees it and decides. `awardId` is set once the completion badge is awarded; a
 * node that gets a completion badge later awards it to those recorded without one.
 */
export const pathwayCompletions = sqliteTable(
  "pathway_completions",
  {
    id: text("id").primaryKey(),
    pathwayId: text("pathway_id")
      .notNull()
      .references(() => pathways.id),
    nodeId: text("node_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    awardId: text("award_id").references(() => awards.id),
    completedAt: integer("completed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("pathway_completions_once").on(t.pathwayId, t.nodeId, t.userId), index("pathway_completions_user_idx").on(t.userId)],
);

export const PATHWAY_INVITATION_STATES = ["pending", "accepted", "declined"] as const;
export type PathwayInvitationState = (typeof PATHWAY_INVITATION_STATES)[number];

/**
 * An issuer's invitation of an email address to a pathway. No secret link: the learner
 * answers it signed in, from My Pathways, with any account that has the address verified,
 * however long after it was sent the account or the address arrived.
 */
export const pathwayInvitations = sqliteTable(
  "pathway_invitations",
  {
    id: text("id").primaryKey(),
    pathwayId: text("pathway_id")
      .notNull()
      .references(() => pathways.id),
    /** Normalised, as accounts store addresses. */
    email: text("email").notNull(),
    state: text("state", { enum: PATHWAY_INVITATION_STATES }).notNull().default("pending"),
    invitedBy: text("invited_by")
      .notNull()
      .references(() => users.id),
    answeredBy: text("answered_by").references(() => users.id),
    /** When the invitation email went out; queue deliveries are at least once. */
    notifiedAt: integer("notified_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    answeredAt: integer("answered_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    // Inviting an address twice is one invitation: the insert's row count says it was new.
    uniqueIndex("pathway_invitations_once").on(t.pathwayId, t.email),
    index("pathway_invitations_email_idx").on(t.email, t.state),
  ],
);

/** A learner's public link to their progress on a pathway; the token is kept only as its SHA-256. */
export const pathwayProgressShares = sqliteTable(
  "pathway_progress_shares",
  {
    tokenHash: text("token_hash").primaryKey(),
    pathwayId: text("pathway_id")
      .notNull()
      .references(() => pathways.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("pathway_progress_shares_one").on(t.pathwayId, t.userId)],
);

export type Pathway = typeof pathways.$inferSelect;
export type PathwayStep = typeof pathwaySteps.$inferSelect;
export type PathwayCompletion = typeof pathwayCompletions.$inferSelect;
export type PathwayInvitation = typeof pathwayInvitations.$inferSelect;
