import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { badgeClasses } from "../badges/badge-classes.table";
import { issuers } from "../badges/issuers.table";

export const PART_KINDS = ["text", "file", "link"] as const;
export type PartKind = (typeof PART_KINDS)[number];

/** One ordered part of what a learner hands in. Ids are stable so answers and rubric criteria can name them. */
export interface SubmissionPart {
  id: string;
  title: string;
  prompt: string;
  kind: PartKind;
  required: boolean;
  /** text parts */
  wordLimit: number | null;
  /** file parts: MIME types accepted (checked against the file's first bytes, not its name) */
  fileTypes: string[] | null;
  /** file parts */
  maxBytes: number | null;
}

export interface RubricLevel {
  name: string;
  description: string | null;
}

/** A rubric criterion: levels ordered low to high; passing needs at least `requiredLevel` (an index). */
export interface RubricCriterion {
  id: string;
  name: string;
  description: string | null;
  partIds: string[];
  levels: RubricLevel[];
  requiredLevel: number;
}

export interface Resource {
  title: string;
  url: string;
}

/**
 * What makes a badge class a micro-credential: the competency, its method, and what the
 * learner submits and is judged on. Parts and criteria are ordered lists read and written
 * whole with the definition, so they live in it as JSON.
 */
export const microCredentials = sqliteTable(
  "micro_credentials",
  {
    badgeClassId: text("badge_class_id")
      .primaryKey()
      .references(() => badgeClasses.id),
    issuerId: text("issuer_id")
      .notNull()
      .references(() => issuers.id),
    competency: text("competency").notNull(),
    keyMethod: text("key_method").notNull(),
    methodComponents: text("method_components").notNull().default(""),
    research: text("research").notNull().default(""),
    resources: text("resources", { mode: "json" }).$type<Resource[]>().notNull(),
    parts: text("parts", { mode: "json" }).$type<SubmissionPart[]>().notNull(),
    criteria: text("criteria", { mode: "json" }).$type<RubricCriterion[]>().notNull(),
    reviewTargetDays: integer("review_target_days").notNull().default(14),
    /** The learner's name and email are hidden from assessors until the decision. */
    blindReview: integer("blind_review", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("micro_credentials_issuer_idx").on(t.issuerId)],
);

/** Badges a learner must hold (on any verified email) before submitting. */
export const microCredentialPrerequisites = sqliteTable(
  "micro_credential_prerequisites",
  {
    badgeClassId: text("badge_class_id")
      .notNull()
      .references(() => microCredentials.badgeClassId),
    requiredBadgeClassId: text("required_badge_class_id")
      .notNull()
      .references(() => badgeClasses.id),
  },
  (t) => [primaryKey({ columns: [t.badgeClassId, t.requiredBadgeClassId] })],
);

/**
 * Pathway steps (or whole pathways, by the pathway's id) a learner must meet, with badges held
 * now, before submitting. No foreign key: the pathway's issuer may remove the step, and a
 * prerequisite on a removed step cannot be met (the learner is told so).
 */
export const microCredentialStepPrerequisites = sqliteTable(
  "micro_credential_step_prerequisites",
  {
    badgeClassId: text("badge_class_id")
      .notNull()
      .references(() => microCredentials.badgeClassId),
    stepId: text("step_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.badgeClassId, t.stepId] })],
);

export type MicroCredential = typeof microCredentials.$inferSelect;
