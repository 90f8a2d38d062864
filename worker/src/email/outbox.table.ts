import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** The development transport's mailbox: every message that would have been delivered. */
export const outbox = sqliteTable("email_outbox", {
  id: text("id").primaryKey(),
  to: text("to").notNull(),
  from: text("from").notNull(),
  subject: text("subject").notNull(),
  text: text("text").notNull(),
  html: text("html").notNull(),
  createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
});
