import type { AppContext } from "../context";
import { reportError } from "../http/report-error";
import { MATCH_END, MATCH_START, markedToHtml } from "./highlight";

export interface SearchHit {
  id: string;
  slug: string;
  title: string;
  summary: string;
  categoryId: string;
  sectionId: string;
  /** The title with its matches in <mark>, escaped. */
  titleHtml: string;
  /** A few words of the body around the best matches, in <mark>, escaped. */
  snippetHtml: string;
  rank: number;
}

const MAX_TERMS = 8;
const MAX_TERM_LENGTH = 40;
export const MAX_QUERY_LENGTH = 200;

/**
 * The FTS5 query for what a visitor typed: each word (letters and digits only, split where
 * the tokenizer splits) as a quoted prefix term, all of them required. Nothing typed can reach
 * FTS5's own syntax (NEAR, column filters, quotes, operators), so no input is a syntax error.
 * Null when nothing searchable is left.
 */
export function ftsQuery(input: string): string | null {
  const terms = input
    .slice(0, MAX_QUERY_LENGTH)
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .map((term) => term.slice(0, MAX_TERM_LENGTH));
  const unique = [...new Set(terms)].slice(0, MAX_TERMS);
  if (unique.length === 0) return null;
  // The quotes stay even though the terms hold no quote: they say "a string", never an operator.
  return unique.map((term) => `"${term.replaceAll('"', '""')}"*`).join(" ");
}

// Title matches count ten times body matches (bm25 weights follow the columns: id, title, body).
const SEARCH_SQL = `
SELECT a.id, a.slug, a.title, a.summary, a.section_id AS sectionId, s.category_id AS categoryId,
  highlight(help_search, 1, ?1, ?2) AS titleMarked,
  snippet(help_search, 2, ?1, ?2, '…', 16) AS snippetMarked,
  bm25(help_search, 0.0, 10.0, 1.0) AS rank
FROM help_search
JOIN help_articles a ON a.id = help_search.article_id AND a.state = 'published'
JOIN help_sections s ON s.id = a.section_id
WHERE help_search MATCH ?3 AND (?4 IS NULL OR s.category_id = ?4)
ORDER BY rank, a.title
LIMIT ?5`;

/**
 * Published articles matching `query`, best first (bm25). A query FTS5 still refuses gives no
 * hits and is logged: a visitor's typing never becomes a 500.
 */
export async function searchArticles(
  ctx: Pick<AppContext, "d1">,
  { query, categoryId = null, limit = 10 }: { query: string; categoryId?: string | null; limit?: number },
): Promise<SearchHit[]> {
  const match = ftsQuery(query);
  if (!match) return [];
  type Row = Omit<SearchHit, "titleHtml" | "snippetHtml"> & { titleMarked: string; snippetMarked: string };
  let rows: Row[];
  try {
    const result = await ctx.d1
      .prepare(SEARCH_SQL)
      .bind(MATCH_START, MATCH_END, match, categoryId, Math.min(Math.max(limit, 1), 50))
      .all<Row>();
    rows = result.results;
  } catch (error) {
    reportError(error, "help search");
    return [];
  }
  return rows.map(({ titleMarked, snippetMarked, ...hit }) => ({
    ...hit,
    titleHtml: markedToHtml(titleMarked),
    snippetHtml: markedToHtml(snippetMarked),
  }));
}
