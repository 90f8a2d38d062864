import { and, desc, eq, inArray, lt, sql } from "drizzle-orm";
import type { AppContext } from "../context";
import { inSlices } from "../db/limits";
import { NotFoundError, Problems } from "../lib/errors";
import { newId } from "../lib/ids";
import { refusedError, reserveAttempt } from "../throttling/guard";
import { helpFeedbackKeys } from "../throttling/policies";
import { getPublishedArticle } from "./articles.service";
import { type HelpFeedback, helpFeedback, helpVotes } from "./help.table";
import { sessionUser } from "./voter";

export interface VoteCounts {
  articleId: string;
  helpful: number;
  total: number;
}

const COUNTS_SQL = "SELECT count(*) AS total, coalesce(sum(helpful), 0) AS helpful FROM help_votes WHERE article_id = ?";

/**
 * Records a reader's "Yes" or "No", replacing their earlier answer: one row per (article,
 * reader), written by one upsert that only a published article accepts. The counts are read
 * in the same batch (one transaction), so the answer includes this vote and every vote that
 * committed before it, however many readers vote at once.
 */
export async function voteOnArticle(
  ctx: Pick<AppContext, "d1" | "now">,
  readerKey: string,
  articleId: string,
  helpful: boolean,
): Promise<VoteCounts> {
  const now = ctx.now();
  const [upsert, counts] = await ctx.d1.batch<{ total: number; helpful: number }>([
    ctx.d1
      .prepare(
        `INSERT INTO help_votes (article_id, voter_key, helpful, created_at, updated_at)
         SELECT id, ?1, ?2, ?3, ?3 FROM help_articles WHERE id = ?4 AND state = 'published'
         ON CONFLICT (article_id, voter_key) DO UPDATE SET helpful = excluded.helpful, updated_at = excluded.updated_at`,
      )
      .bind(readerKey, helpful ? 1 : 0, now, articleId),
    ctx.d1.prepare(COUNTS_SQL).bind(articleId),
  ]);
  if (!upsert || upsert.meta.changes === 0) throw new NotFoundError("There is no such article.");
  const row = counts?.results[0];
  return { articleId, helpful: Number(row?.helpful ?? 0), total: Number(row?.total ?? 0) };
}

/** The counts of several articles in one query, through the (article, helpful) index. */
export async function voteCounts(ctx: Pick<AppContext, "db">, articleIds: readonly string[]): Promise<VoteCounts[]> {
  const rows = await inSlices(articleIds, (slice) =>
    ctx.db
      .select({
        articleId: helpVotes.articleId,
        total: sql<number>`count(*)`,
        helpful: sql<number>`coalesce(sum(${helpVotes.helpful}), 0)`,
      })
      .from(helpVotes)
      .where(inArray(helpVotes.articleId, slice))
      .groupBy(helpVotes.articleId),
  );
  return articleIds.map((articleId) => {
    const row = rows.find((r) => r.articleId === articleId);
    return { articleId, total: Number(row?.total ?? 0), helpful: Number(row?.helpful ?? 0) };
  });
}

/** The reader's own answer (true: helpful), or null when they have not voted. */
export async function getOwnVote(ctx: Pick<AppContext, "db">, readerKey: string, articleId: string): Promise<boolean | null> {
  const row = await ctx.db.query.helpVotes.findFirst({
    where: and(eq(helpVotes.articleId, articleId), eq(helpVotes.voterKey, readerKey)),
    columns: { helpful: true },
  });
  return row ? row.helpful : null;
}

export const MAX_FEEDBACK_LENGTH = 2000;

/**
 * Feedback on an article, for staff. Each message reserves an attempt for its reader and its
 * network first (the project's one guard), so a flood is refused before anything is written.
 */
export async function sendArticleFeedback(
  ctx: Pick<AppContext, "db" | "now" | "ip" | "user" | "apiToken">,
  readerKey: string,
  input: { articleId: string; message: string },
): Promise<HelpFeedback> {
  const problems = new Problems();
  const message = input.message.trim();
  if (message.length === 0) problems.add("message", "Write what was missing or wrong.");
  else if (message.length > MAX_FEEDBACK_LENGTH) problems.add("message", `Keep it under ${MAX_FEEDBACK_LENGTH} characters.`);
  problems.throwIfAny();
  const article = await getPublishedArticle(ctx, input.articleId);
  if (!article) throw new NotFoundError("There is no such article.");
  const reservation = await reserveAttempt(ctx.db, helpFeedbackKeys(readerKey, ctx.ip), ctx.now());
  if (!reservation.granted) throw refusedError(reservation);
  const row: HelpFeedback = {
    id: newId(),
    articleId: article.id,
    message,
    userId: sessionUser(ctx)?.id ?? null,
    createdAt: new Date(ctx.now()),
  };
  await ctx.db.insert(helpFeedback).values(row);
  return row;
}

/** The newest feedback first, `before` a time for the next page. */
export async function listFeedback(ctx: Pick<AppContext, "db">, { limit, before }: { limit: number; before?: Date | null }) {
  return ctx.db
    .select()
    .from(helpFeedback)
    .where(before ? lt(helpFeedback.createdAt, before) : undefined)
    .orderBy(desc(helpFeedback.createdAt), desc(helpFeedback.id))
    .limit(Math.min(Math.max(limit, 1), 100));
}
