import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";

/**
 * The help centre: categories → sections → articles, as in Zendesk Guide. Search runs over the
 * FTS5 table `help_search`, which triggers keep equal to the published articles (see the
 * migration `help_search`; drizzle-kit does not know virtual tables). Tickets will point at
 * articles and users from their own tables; nothing here needs to change for them.
 */
export const helpCategories = sqliteTable(
  "help_categories",
  {
    id: text("id").primaryKey(),
    /** Stable across content loads: what the Markdown files' folders are named. */
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
  },
  (t) => [uniqueIndex("help_categories_slug_unique").on(t.slug)],
);

export const helpSections = sqliteTable(
  "help_sections",
  {
    id: text("id").primaryKey(),
    categoryId: text("category_id")
      .notNull()
      .references(() => helpCategories.id),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    uniqueIndex("help_sections_slug_unique").on(t.categoryId, t.slug),
    index("help_sections_category_idx").on(t.categoryId, t.position),
  ],
);

export const helpArticles = sqliteTable(
  "help_articles",
  {
    id: text("id").primaryKey(),
    sectionId: text("section_id")
      .notNull()
      .references(() => helpSections.id),
    /** The stable URL: /help/articles/<slug>. */
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    /** One or two sentences: the page's meta description and the line under a search result. */
    summary: text("summary").notNull(),
    /** Who it is written for ("Learners", "Educators"): "Intended audience: …". */
    audience: text("audience").notNull(),
    authorName: text("author_name").notNull(),
    bodyMarkdown: text("body_markdown").notNull(),
    /** Rendered once at save by the allow-list renderer (lib/markdown.ts): pages never render. */
    bodyHtml: text("body_html").notNull(),
    /** What a reader sees, for search; free of the snippet markers. */
    bodyText: text("body_text").notNull(),
    state: text("state", { enum: ["draft", "published"] })
      .notNull()
      .default("draft"),
    promoted: integer("promoted", { mode: "boolean" }).notNull().default(false),
    position: integer("position").notNull().default(0),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    /** "Updated <date>": when its content last changed. */
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    publishedAt: integer("published_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("help_articles_slug_unique").on(t.slug),
    index("help_articles_section_idx").on(t.sectionId, t.state, t.position),
    index("help_articles_promoted_idx").on(t.promoted, t.state, t.position),
  ],
);

/**
 * "Was this article helpful?": one row per (article, voter), changed in place. The voter key is
 * `user:<id>` for a signed-in user, or `visitor:<sha256 of the visitor cookie>`; the cookie's
 * value is never stored. Counts are read from here through the covering index, so they are
 * exact whatever the concurrency: there is no counter to drift.
 */
export const helpVotes = sqliteTable(
  "help_votes",
  {
    articleId: text("article_id")
      .notNull()
      .references(() => helpArticles.id),
    voterKey: text("voter_key").notNull(),
    helpful: integer("helpful", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("help_votes_article_voter_unique").on(t.articleId, t.voterKey),
    index("help_votes_counts_idx").on(t.articleId, t.helpful),
  ],
);

/** What a reader wrote after "No": staff read it beside its article. */
export const helpFeedback = sqliteTable(
  "help_feedback",
  {
    id: text("id").primaryKey(),
    articleId: text("article_id")
      .notNull()
      .references(() => helpArticles.id),
    message: text("message").notNull(),
    userId: text("user_id").references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("help_feedback_created_idx").on(t.createdAt), index("help_feedback_article_idx").on(t.articleId, t.createdAt)],
);

export type HelpCategory = typeof helpCategories.$inferSelect;
export type HelpSection = typeof helpSections.$inferSelect;
export type HelpArticle = typeof helpArticles.$inferSelect;
export type HelpFeedback = typeof helpFeedback.$inferSelect;
