import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";

export const TICKET_STATES = ["new", "open", "pending", "solved", "closed"] as const;
export type TicketState = (typeof TICKET_STATES)[number];

export const TICKET_TOPICS = ["sign-in-and-security", "badges", "pathways", "micro-credentials", "other"] as const;
export type TicketTopic = (typeof TICKET_TOPICS)[number];

/**
 * A support request, as in Zendesk. The requester is an account (signed in when asking) or
 * only a confirmed address (signed out, e.g. locked out of their authenticator); My Tickets
 * finds both through the account's verified emails.
 */
export const tickets = sqliteTable(
  "tickets",
  {
    id: text("id").primaryKey(),
    subject: text("subject").notNull(),
    topic: text("topic", { enum: TICKET_TOPICS }).notNull(),
    state: text("state", { enum: TICKET_STATES }).notNull().default("new"),
    requesterUserId: text("requester_user_id").references(() => users.id),
    /** The confirmed address every email goes to (normalised). */
    requesterEmail: text("requester_email").notNull(),
    /** The Laurel page the request was started from (a path), if any. */
    sourcePage: text("source_page"),
    assigneeUserId: text("assignee_user_id").references(() => users.id),
    /** Set on a follow-up: the closed ticket a reply came to. */
    followUpOfId: text("follow_up_of_id"),
    rating: text("rating", { enum: ["good", "bad"] }),
    ratingComment: text("rating_comment"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    /** When it last became solved: the clock of the automatic close. */
    solvedAt: integer("solved_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    index("tickets_state_idx").on(t.state, t.updatedAt),
    index("tickets_requester_user_idx").on(t.requesterUserId, t.updatedAt),
    index("tickets_requester_email_idx").on(t.requesterEmail, t.updatedAt),
    index("tickets_assignee_idx").on(t.assigneeUserId, t.state),
    index("tickets_solved_idx").on(t.state, t.solvedAt),
  ],
);

/** The conversation. Internal notes (`public = false`) are for staff only; requester queries filter them in SQL. */
export const ticketComments = sqliteTable(
  "ticket_comments",
  {
    id: text("id").primaryKey(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => tickets.id),
    /** Null for a signed-out requester. */
    authorUserId: text("author_user_id").references(() => users.id),
    authorRole: text("author_role", { enum: ["requester", "staff"] }).notNull(),
    public: integer("public", { mode: "boolean" }).notNull(),
    bodyMarkdown: text("body_markdown").notNull(),
    /** Rendered once at write by the allow-list renderer (lib/markdown.ts). */
    bodyHtml: text("body_html").notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("ticket_comments_ticket_idx").on(t.ticketId, t.public, t.createdAt)],
);

/**
 * The secret links in a ticket's emails: each email carries its own 256-bit token, stored
 * only as its SHA-256, so a link works without an account and the table leaks none.
 */
export const ticketLinks = sqliteTable(
  "ticket_links",
  {
    tokenHash: text("token_hash").primaryKey(),
    ticketId: text("ticket_id")
      .notNull()
      .references(() => tickets.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("ticket_links_ticket_idx").on(t.ticketId)],
);

export type Ticket = typeof tickets.$inferSelect;
export type TicketComment = typeof ticketComments.$inferSelect;
