import type { Context } from "hono";
import { backgroundContext } from "../context";
import { getConfig } from "../env";
import { cacheKey, edgeCache } from "../http/edge-cache";
import type { PageHead } from "../http/spa-pages";
import { publicUrls } from "../lib/public-urls";
import { getArticleBySlug } from "./articles.service";

// Kept at the edge like the public badge documents, and purged when the article changes
// (loadHelpContent); an unknown slug is kept briefly too, and purged when an article takes it.
const FOUND_SECONDS = 300;
const MISSING_SECONDS = 60;

/**
 * The title and description of `/help/articles/:slug`'s HTML, or null (a 404) for a slug with
 * no published article. Read from the edge cache when it can be, so a warm article page costs
 * no D1 query; drafts never appear here, whoever asks, since the cached head is shared.
 */
export async function articlePageHead(c: Context<{ Bindings: Env }>, { slug = "" }: Record<string, string>): Promise<PageHead | null> {
  if (!/^[a-z0-9-]{1,120}$/.test(slug)) return null;
  const key = cacheKey(publicUrls(getConfig(c.env).appUrl).helpArticle(slug), "json");
  const cache = edgeCache();
  const cached = await cache.match(key);
  if (cached) return ((await cached.json()) as { head: PageHead | null }).head;
  const article = await getArticleBySlug(backgroundContext(c.env, c.executionCtx), slug, { includeDrafts: false });
  const head = article ? { title: article.title, description: article.summary } : null;
  const response = new Response(JSON.stringify({ head }), {
    headers: { "content-type": "application/json", "cache-control": `public, max-age=${head ? FOUND_SECONDS : MISSING_SECONDS}` },
  });
  c.executionCtx.waitUntil(cache.put(key, response));
  return head;
}
