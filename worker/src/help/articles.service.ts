import { and, asc, eq, inArray, ne } from "drizzle-orm";
import type { AppContext } from "../context";
import { inSlices } from "../db/limits";
import { purgeAfterCommit } from "../http/edge-cache";
import { newId } from "../lib/ids";
import { renderMarkdown } from "../lib/markdown";
import { publicUrls } from "../lib/public-urls";
import type { HelpContent } from "./content";
import { type HelpArticle, type HelpCategory, type HelpSection, helpArticles, helpCategories, helpSections } from "./help.table";
import { stripMarkers } from "./highlight";

/** What lists show of an article: no body. */
export type ArticleLink = Pick<HelpArticle, "id" | "slug" | "title" | "summary" | "sectionId" | "promoted" | "position" | "updatedAt">;

const linkColumns = {
  id: helpArticles.id,
  slug: helpArticles.slug,
  title: helpArticles.title,
  summary: helpArticles.summary,
  sectionId: helpArticles.sectionId,
  promoted: helpArticles.promoted,
  position: helpArticles.position,
  updatedAt: helpArticles.updatedAt,
};

export async function listCategories(ctx: Pick<AppContext, "db">): Promise<HelpCategory[]> {
  return ctx.db.select().from(helpCategories).orderBy(asc(helpCategories.position), asc(helpCategories.name));
}

export async function listSectionsOfCategories(ctx: Pick<AppContext, "db">, categoryIds: readonly string[]): Promise<HelpSection[]> {
  return inSlices(categoryIds, (slice) =>
    ctx.db
      .select()
      .from(helpSections)
      .where(inArray(helpSections.categoryId, slice))
      .orderBy(asc(helpSections.position), asc(helpSections.name)),
  );
}

/** The published articles of these sections, in each section's order. */
export async function listArticlesOfSections(ctx: Pick<AppContext, "db">, sectionIds: readonly string[]): Promise<ArticleLink[]> {
  return inSlices(sectionIds, (slice) =>
    ctx.db
      .select(linkColumns)
      .from(helpArticles)
      .where(and(inArray(helpArticles.sectionId, slice), eq(helpArticles.state, "published")))
      .orderBy(asc(helpArticles.position), asc(helpArticles.title)),
  );
}

/** Promoted published articles: the /help page's "Promoted articles". */
export async function listPromotedArticles(ctx: Pick<AppContext, "db">, limit = 12): Promise<ArticleLink[]> {
  return ctx.db
    .select(linkColumns)
    .from(helpArticles)
    .where(and(eq(helpArticles.promoted, true), eq(helpArticles.state, "published")))
    .orderBy(asc(helpArticles.position), asc(helpArticles.title))
    .limit(limit);
}

/**
 * The article at `slug`, or null. Drafts exist only for staff: anyone else gets null, exactly
 * as for a slug that was never used.
 */
export async function getArticleBySlug(
  ctx: Pick<AppContext, "db">,
  slug: string,
  { includeDrafts }: { includeDrafts: boolean },
): Promise<HelpArticle | null> {
  const row = await ctx.db.query.helpArticles.findFirst({
    where: includeDrafts ? eq(helpArticles.slug, slug) : and(eq(helpArticles.slug, slug), eq(helpArticles.state, "published")),
  });
  return row ?? null;
}

export async function getPublishedArticle(ctx: Pick<AppContext, "db">, id: string): Promise<HelpArticle | null> {
  const row = await ctx.db.query.helpArticles.findFirst({ where: and(eq(helpArticles.id, id), eq(helpArticles.state, "published")) });
  return row ?? null;
}

/** Other published articles of the same section, in the section's order. */
export async function relatedArticles(ctx: Pick<AppContext, "db">, article: Pick<HelpArticle, "id" | "sectionId">, limit = 6) {
  return ctx.db
    .select(linkColumns)
    .from(helpArticles)
    .where(and(eq(helpArticles.sectionId, article.sectionId), eq(helpArticles.state, "published"), ne(helpArticles.id, article.id)))
    .orderBy(asc(helpArticles.position), asc(helpArticles.title))
    .limit(limit);
}

export async function getSections(ctx: Pick<AppContext, "db">, ids: readonly string[]): Promise<HelpSection[]> {
  return inSlices(ids, (slice) => ctx.db.select().from(helpSections).where(inArray(helpSections.id, slice)));
}

export async function getCategories(ctx: Pick<AppContext, "db">, ids: readonly string[]): Promise<HelpCategory[]> {
  return inSlices(ids, (slice) => ctx.db.select().from(helpCategories).where(inArray(helpCategories.id, slice)));
}

export async function getArticleLinks(ctx: Pick<AppContext, "db">, ids: readonly string[]): Promise<ArticleLink[]> {
  return inSlices(ids, (slice) => ctx.db.select(linkColumns).from(helpArticles).where(inArray(helpArticles.id, slice)));
}

/** The body an article's Markdown renders to, with the search markers removed from its words. */
export function renderArticleBody(markdown: string, appUrl: string) {
  const rendered = renderMarkdown(stripMarkers(markdown), { siteOrigin: new URL(appUrl).origin });
  return { bodyHtml: rendered.html, bodyText: rendered.text, anchors: rendered.anchors };
}

/**
 * Loads the content files into D1: categories, sections and articles are matched by slug, so a
 * second load updates in place (ids, votes and feedback stay) and only what changed gets a new
 * "Updated" time. Everything is one batch; the pages of articles that changed are purged from
 * the edge cache after it commits. Articles that are no longer in the files are left as they
 * are: staff may have written them.
 */
export async function loadHelpContent(
  ctx: Pick<AppContext, "db" | "config" | "now" | "waitUntil">,
  content: HelpContent,
): Promise<{ created: number; updated: number }> {
  const now = new Date(ctx.now());
  const [existingCategories, existingSections, existingArticles] = await ctx.db.batch([
    ctx.db.select().from(helpCategories),
    ctx.db.select().from(helpSections),
    ctx.db.select().from(helpArticles),
  ]);
  const statements = [];
  const categoryIds = new Map<string, string>();
  const sectionIds = new Map<string, string>();
  for (const [index, category] of content.catalogue.categories.entries()) {
    const position = category.position ?? index + 1;
    const id = existingCategories.find((c) => c.slug === category.slug)?.id ?? newId();
    categoryIds.set(category.slug, id);
    const values = { name: category.name, description: category.description ?? "", position };
    statements.push(
      ctx.db
        .insert(helpCategories)
        .values({ id, slug: category.slug, ...values })
        .onConflictDoUpdate({ target: helpCategories.slug, set: values }),
    );
    for (const [sectionIndex, section] of category.sections.entries()) {
      const sectionPosition = section.position ?? sectionIndex + 1;
      const sectionId = existingSections.find((s) => s.categoryId === id && s.slug === section.slug)?.id ?? newId();
      sectionIds.set(`${category.slug}/${section.slug}`, sectionId);
      const sectionValues = { name: section.name, description: section.description ?? "", position: sectionPosition };
      statements.push(
        ctx.db
          .insert(helpSections)
          .values({ id: sectionId, categoryId: id, slug: section.slug, ...sectionValues })
          .onConflictDoUpdate({ target: [helpSections.categoryId, helpSections.slug], set: sectionValues }),
      );
    }
  }
  let created = 0;
  let updated = 0;
  const changedUrls: string[] = [];
  for (const file of content.articles) {
    const sectionId = sectionIds.get(`${file.category}/${file.section}`)!;
    const existing = existingArticles.find((a) => a.slug === file.slug);
    const body = renderArticleBody(file.body, ctx.config.appUrl);
    const values = {
      sectionId,
      title: stripMarkers(file.title),
      summary: stripMarkers(file.summary),
      audience: file.audience,
      authorName: file.author,
      bodyMarkdown: file.body,
      bodyHtml: body.bodyHtml,
      bodyText: body.bodyText,
      state: file.state,
      promoted: file.promoted,
      position: file.position,
    };
    // The file's own date says when its content last changed; the load time never does.
    const updatedAt = file.updated;
    const unchanged =
      existing &&
      existing.updatedAt.getTime() === updatedAt.getTime() &&
      (Object.keys(values) as (keyof typeof values)[]).every((key) => existing[key] === values[key]);
    if (unchanged) continue;
    const publishedAt = file.state === "published" ? (existing?.publishedAt ?? now) : null;
    statements.push(
      ctx.db
        .insert(helpArticles)
        .values({ id: existing?.id ?? newId(), slug: file.slug, ...values, createdAt: now, updatedAt, publishedAt })
        .onConflictDoUpdate({ target: helpArticles.slug, set: { ...values, updatedAt, publishedAt } }),
    );
    if (existing) updated++;
    else created++;
    changedUrls.push(publicUrls(ctx.config.appUrl).helpArticle(file.slug));
  }
  if (statements.length > 0) await ctx.db.batch(statements as [(typeof statements)[number], ...typeof statements]);
  if (changedUrls.length > 0) purgeAfterCommit(ctx, changedUrls);
  return { created, updated };
}

/** Published articles, for checks over every article (links, labels). */
export async function listPublishedArticles(ctx: Pick<AppContext, "db">): Promise<HelpArticle[]> {
  return ctx.db.select().from(helpArticles).where(eq(helpArticles.state, "published")).orderBy(asc(helpArticles.slug));
}
