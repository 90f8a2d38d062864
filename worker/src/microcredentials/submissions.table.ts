import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";
import { awards } from "../badges/awards.table";
import { badgeClasses } from "../badges/badge-classes.table";
import { issuers } from "../badges/issuers.table";

export const SUBMISSION_STATES = [
  "draft",
  "submitted",
  "in_review",
  "returned",
  "resubmitted",
  "awarded",
  "not_awarded",
  "withdrawn",
] as const;
export type SubmissionState = (typeof SUBMISSION_STATES)[number];

export const DECISIONS = ["returned", "awarded", "not_awarded"] as const;
export type Decision = (typeof DECISIONS)[number];

export interface EvidenceFile {
  key: string;
  name: string;
  type: string;
  size: number;
}

/** The learner's answer to one part; which fields are set follows the part's kind. */
export interface Answer {
  text?: string | null;
  url?: string | null;
  /** A link the learner lets appear in the public credential. */
  public?: boolean;
  file?: EvidenceFile | null;
}

export type Answers = Record<string, Answer>;

/**
 * A learner's work towards one micro-credential, through its states (ADR 020). Every
 * transition is one conditional UPDATE that sets `lastEventId` to a fresh id: the rows that
 * follow it in the batch (history, attempt, review, award, audit, emails) are written only
 * if that id is there, so only the request that won the transition writes them.
 */
export const submissions = sqliteTable(
  "submissions",
  {
    id: text("id").primaryKey(),
    badgeClassId: text("badge_class_id")
      .notNull()
      .references(() => badgeClasses.id),
    issuerId: text("issuer_id")
      .notNull()
      .references(() => issuers.id),
    learnerId: text("learner_id")
      .notNull()
      .references(() => users.id),
    state: text("state", { enum: SUBMISSION_STATES }).notNull(),
    /** How many times it was handed in: 1 after the first submit, +1 per resubmission. */
    round: integer("round").notNull().default(0),
    answers: text("answers", { mode: "json" }).$type<Answers>().notNull(),
    /** What the credential says publicly about the evidence, in the learner's words. */
    publicNarrative: text("public_narrative"),
    /** The learner's note to the assessor with a resubmission. */
    note: text("note"),
    claimedBy: text("claimed_by").references(() => users.id),
    claimedUntil: integer("claimed_until", { mode: "timestamp_ms" }),
    lastEventId: text("last_event_id").notNull(),
    /** When it was last handed in: the queue's order (oldest first). */
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }),
    decidedAt: integer("decided_at", { mode: "timestamp_ms" }),
    awardId: text("award_id").references(() => awards.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("submissions_queue_idx").on(t.issuerId, t.state, t.submittedAt),
    index("submissions_badge_class_queue_idx").on(t.badgeClassId, t.state, t.submittedAt),
    index("submissions_learner_idx").on(t.learnerId, t.updatedAt),
    // One live submission per learner and micro-credential; after a denial or withdrawal they may start again.
    uniqueIndex("submissions_one_open").on(t.learnerId, t.badgeClassId).where(sql`${t.state} not in ('not_awarded', 'withdrawn')`),
  ],
);

/** What was handed in each round, kept when the learner revises for the next. */
export const submissionAttempts = sqliteTable(
  "submission_attempts",
  {
    submissionId: text("submission_id")
      .notNull()
      .references(() => submissions.id),
    round: integer("round").notNull(),
    answers: text("answers", { mode: "json" }).$type<Answers>().notNull(),
    note: text("note"),
    submittedAt: integer("submitted_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.submissionId, t.round] })],
);

/** An assessor's decision on one round, with its reason or feedback. */
export const submissionReviews = sqliteTable(
  "submission_reviews",
  {
    id: text("id").primaryKey(),
    submissionId: text("submission_id")
      .notNull()
      .references(() => submissions.id),
    round: integer("round").notNull(),
    assessorId: text("assessor_id")
      .notNull()
      .references(() => users.id),
    decision: text("decision", { enum: DECISIONS }).notNull(),
    comment: text("comment").notNull().default(""),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("submission_reviews_round_unique").on(t.submissionId, t.round)],
);

/** The level a review gave one rubric criterion (an index into its levels, low to high). */
export const submissionScores = sqliteTable(
  "submission_scores",
  {
    reviewId: text("review_id")
      .notNull()
      .references(() => submissionReviews.id),
    criterionId: text("criterion_id").notNull(),
    level: integer("level").notNull(),
    comment: text("comment").notNull().default(""),
  },
  (t) => [primaryKey({ columns: [t.reviewId, t.criterionId] })],
);

/** The status history the learner sees: one row per transition that happened. */
export const submissionEvents = sqliteTable(
  "submission_events",
  {
    id: text("id").primaryKey(),
    submissionId: text("submission_id")
      .notNull()
      .references(() => submissions.id),
    state: text("state", { enum: SUBMISSION_STATES }).notNull(),
    actorId: text("actor_id").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("submission_events_submission_idx").on(t.submissionId, t.createdAt)],
);

export type Submission = typeof submissions.$inferSelect;
export type SubmissionReview = typeof submissionReviews.$inferSelect;
export type SubmissionScore = typeof submissionScores.$inferSelect;
export type SubmissionEvent = typeof submissionEvents.$inferSelect;
