import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";

/** An issuing organisation's profile (an Open Badges Issuer / OB 3.0 Profile). */
export const issuers = sqliteTable("issuers", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  url: text("url").notNull(),
  email: text("email").notNull(),
  description: text("description").notNull().default(""),
  /** Key of the logo in the FILES bucket. */
  imageKey: text("image_key"),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
});

export const ISSUER_ROLES = ["owner", "editor", "awarder", "assessor"] as const;
export type IssuerRole = (typeof ISSUER_ROLES)[number];

/** Who may act for an issuer: owners manage members; editors edit and revoke; awarders award; assessors review micro-credential submissions. */
export const issuerMembers = sqliteTable(
  "issuer_members",
  {
    issuerId: text("issuer_id")
      .notNull()
      .references(() => issuers.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role", { enum: ISSUER_ROLES }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.issuerId, t.userId] }), index("issuer_members_user_idx").on(t.userId)],
);

export type Issuer = typeof issuers.$inferSelect;
export type IssuerMember = typeof issuerMembers.$inferSelect;
