import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";
import { awards } from "../badges/awards.table";

/**
 * A learner's named, ordered selection of their badges, shareable as one public page. The
 * link's token is random (128 bits), shown once when shared and stored only as its SHA-256
 * (hex), like every other secret; a new share replaces it, so a link once withdrawn never
 * works again.
 */
export const collections = sqliteTable(
  "collections",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    shareTokenHash: text("share_token_hash"),
    sharedAt: integer("shared_at", { mode: "timestamp_ms" }),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("collections_user_idx").on(t.userId, t.createdAt), uniqueIndex("collections_share_token_hash_unique").on(t.shareTokenHash)],
);

export const collectionItems = sqliteTable(
  "collection_items",
  {
    collectionId: text("collection_id")
      .notNull()
      .references(() => collections.id),
    awardId: text("award_id")
      .notNull()
      .references(() => awards.id),
    position: integer("position").notNull(),
  },
  (t) => [primaryKey({ columns: [t.collectionId, t.awardId] })],
);

export type Collection = typeof collections.$inferSelect;
