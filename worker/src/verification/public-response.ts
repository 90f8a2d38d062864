import type { Context } from "hono";
import { type AppContext, backgroundContext } from "../context";
import { cacheKey, edgeCache, type Variant } from "../http/edge-cache";
import { sha256Hex } from "../lib/crypto";

// How every public verification document is answered: no cookies, cached at the edge
// (Cache API) with an ETag, so a warm read costs no D1 query; changes purge it.
const MAX_AGE_SECONDS = 300;

/**
 * A browser asking for a page gets HTML; verifiers and tools asking for JSON (or anything) get
 * JSON-LD. `?format=json` lets a plain link download the JSON.
 */
function variantOf(accept: string | undefined, format: string | undefined): Variant {
  if (format === "json" || format === "html") return format;
  const value = accept ?? "";
  if (/application\/(ld\+)?json/.test(value)) return "json";
  return /text\/html/.test(value) ? "html" : "json";
}

export async function respond(
  c: Context<{ Bindings: Env }>,
  build: (ctx: AppContext, variant: Variant) => Promise<{ status: number; body: string; type: string } | null>,
  /**
   * `revalidate`: browsers ask again every time (a cheap 304 with the ETag) while the edge keeps
   * it for `maxAgeSeconds`; for documents their owner can withdraw, where a stale copy in a
   * browser would mislead the owner checking that the withdrawal worked.
   * `cacheUrl`: what the edge cache keys the document by, when it must not be the request's
   * URL (a secret link, whose token is not stored and so could not be purged by).
   */
  options: { maxAgeSeconds?: number; revalidate?: boolean; cacheUrl?: string } = {},
) {
  const variant = variantOf(c.req.header("accept"), c.req.query("format"));
  const key = cacheKey(options.cacheUrl ?? c.req.url, variant);
  const cache = edgeCache();
  let response = await cache.match(key);
  if (!response) {
    const document = await build(backgroundContext(c.env, c.executionCtx), variant);
    if (!document) return c.json({ error: "Not found" }, 404);
    response = new Response(document.body, {
      status: document.status,
      headers: {
        "content-type": document.type,
        "cache-control": options.revalidate
          ? `public, max-age=0, s-maxage=${options.maxAgeSeconds ?? MAX_AGE_SECONDS}, must-revalidate`
          : `public, max-age=${options.maxAgeSeconds ?? MAX_AGE_SECONDS}`,
        etag: `"${(await sha256Hex(document.body)).slice(0, 32)}"`,
        vary: "accept",
        "access-control-allow-origin": "*",
        "x-content-type-options": "nosniff",
      },
    });
    c.executionCtx.waitUntil(cache.put(key, response.clone()));
  }
  if (c.req.header("if-none-match") && c.req.header("if-none-match") === response.headers.get("etag")) {
    return new Response(null, { status: 304, headers: response.headers });
  }
  return response;
}

export const jsonLd = (status: number, document: unknown) => ({
  status,
  body: JSON.stringify(document, null, 2),
  type: "application/ld+json; charset=utf-8",
});
