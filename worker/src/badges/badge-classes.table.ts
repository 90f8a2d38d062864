import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { issuers } from "./issuers.table";

export interface Alignment {
  name: string;
  url: string;
  code?: string | null;
  framework?: string | null;
}

/**
 * What earns the badge when Laurel awards it itself, e.g. on completing a pathway: written by
 * that domain, shown to verifiers in the criteria and as alignments to the required badges.
 */
export interface CompletionRule {
  narrative: string;
  requires: { id: string; name: string }[];
}

/** A badge an issuer can award (Open Badges BadgeClass / OB 3.0 Achievement). */
export const badgeClasses = sqliteTable(
  "badge_classes",
  {
    id: text("id").primaryKey(),
    issuerId: text("issuer_id")
      .notNull()
      .references(() => issuers.id),
    name: text("name").notNull(),
    /** The learning description. */
    description: text("description").notNull(),
    imageKey: text("image_key").notNull(),
    /** A PNG rendition of an SVG image, for link previews: LinkedIn and Facebook show no SVG. */
    previewImageKey: text("preview_image_key"),
    criteriaNarrative: text("criteria_narrative"),
    criteriaUrl: text("criteria_url"),
    learningOutcomes: text("learning_outcomes", { mode: "json" }).$type<string[]>().notNull(),
    alignments: text("alignments", { mode: "json" }).$type<Alignment[]>().notNull(),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull(),
    /** OB 3.0 achievementType, e.g. Badge, Certificate, Competency, MicroCredential. */
    achievementType: text("achievement_type").notNull().default("Badge"),
    /** Awards expire this many months after their issue date, when set. */
    validForMonths: integer("valid_for_months"),
    completionRule: text("completion_rule", { mode: "json" }).$type<CompletionRule>(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("badge_classes_issuer_idx").on(t.issuerId)],
);

export type BadgeClass = typeof badgeClasses.$inferSelect;
