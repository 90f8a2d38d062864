import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./accounts.table";

export interface SocialLink {
  label: string;
  url: string;
}

/** What a learner shows about themselves next to their badges. */
export const profiles = sqliteTable("profiles", {
  userId: text("user_id")
    .primaryKey()
    .references(() => users.id),
  headline: text("headline").notNull().default(""),
  /** Key of the photo in the FILES bucket. */
  photoKey: text("photo_key"),
  socialLinks: text("social_links", { mode: "json" }).$type<SocialLink[]>().notNull(),
  /** Schools, universities and other educational providers the learner studied with. */
  institutions: text("institutions", { mode: "json" }).$type<string[]>().notNull(),
  /** The learner's choice to show their name and this profile on their public badge and collection pages. */
  shownPublicly: integer("shown_publicly", { mode: "boolean" }).notNull().default(false),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export type Profile = typeof profiles.$inferSelect;
