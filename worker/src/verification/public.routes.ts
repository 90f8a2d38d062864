import { type Context, Hono } from "hono";
import { getAward } from "../badges/awards.service";
import { getBadgeClass } from "../badges/badge-classes.service";
import { getIssuer } from "../badges/issuers.service";
import { type AppContext, backgroundContext } from "../context";
import { sha256Hex } from "../lib/crypto";
import { bakePng, bakeSvg } from "./baking";
import { cacheKey, edgeCache, type Variant } from "./edge-cache";
import { assertionDocument, badgeClassDocument, issuerDocument, publicUrls, revokedDocument } from "./ob2";
import { assertionPage } from "./page";

/**
 * Public verification documents: no account, no cookies. Every answer is cached at the edge
 * (Cache API) with an ETag, so a warm verification costs no D1 query; revoking purges it.
 */
export const publicRoutes = new Hono<{ Bindings: Env }>();

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

async function respond(
  c: Context<{ Bindings: Env }>,
  build: (ctx: AppContext, variant: Variant) => Promise<{ status: number; body: string; type: string } | null>,
) {
  const variant = variantOf(c.req.header("accept"), c.req.query("format"));
  const key = cacheKey(c.req.url, variant);
  const cache = edgeCache();
  let response = await cache.match(key);
  if (!response) {
    const document = await build(backgroundContext(c.env, c.executionCtx), variant);
    if (!document) return c.json({ error: "Not found" }, 404);
    response = new Response(document.body, {
      status: document.status,
      headers: {
        "content-type": document.type,
        "cache-control": `public, max-age=${MAX_AGE_SECONDS}`,
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

const jsonLd = (status: number, document: unknown) => ({
  status,
  body: JSON.stringify(document, null, 2),
  type: "application/ld+json; charset=utf-8",
});

publicRoutes.get("/assertions/:id", (c) =>
  respond(c, async (ctx, variant) => {
    const award = await getAward(ctx, c.req.param("id"));
    if (!award) return null;
    const badgeClass = await getBadgeClass(ctx, award.badgeClassId);
    const issuer = await getIssuer(ctx, award.issuerId);
    if (!badgeClass || !issuer) return null;
    if (variant === "html") {
      return {
        status: award.revokedAt ? 410 : 200,
        body: assertionPage(ctx.config.appUrl, award, badgeClass, issuer, ctx.now()),
        type: "text/html; charset=utf-8",
      };
    }
    return award.revokedAt
      ? jsonLd(410, revokedDocument(ctx.config.appUrl, award))
      : jsonLd(200, assertionDocument(ctx.config.appUrl, award, badgeClass));
  }),
);

publicRoutes.get("/badges/:id", (c) =>
  respond(c, async (ctx) => {
    const badgeClass = await getBadgeClass(ctx, c.req.param("id"));
    return badgeClass ? jsonLd(200, badgeClassDocument(ctx.config.appUrl, badgeClass)) : null;
  }),
);

publicRoutes.get("/issuers/:id", (c) =>
  respond(c, async (ctx) => {
    const issuer = await getIssuer(ctx, c.req.param("id"));
    return issuer ? jsonLd(200, issuerDocument(ctx.config.appUrl, issuer)) : null;
  }),
);

/** The badge image with this assertion baked in (Open Badges 2.0 baking), as a download. */
publicRoutes.get("/assertions/:id/image", async (c) => {
  const ctx = backgroundContext(c.env, c.executionCtx);
  const award = await getAward(ctx, c.req.param("id"));
  const badgeClass = award ? await getBadgeClass(ctx, award.badgeClassId) : null;
  if (!award || !badgeClass) return c.json({ error: "Not found" }, 404);
  if (award.revokedAt) return c.json(revokedDocument(ctx.config.appUrl, award), 410);
  const image = await c.env.FILES.get(badgeClass.imageKey);
  if (!image) return c.json({ error: "Not found" }, 404);
  const assertion = JSON.stringify(assertionDocument(ctx.config.appUrl, award, badgeClass));
  const png = badgeClass.imageKey.endsWith(".png");
  const body = png
    ? bakePng(new Uint8Array(await image.arrayBuffer()), assertion)
    : bakeSvg(await image.text(), assertion, publicUrls(ctx.config.appUrl).assertion(award.id));
  const filename = `${badgeClass.name.replace(/[^\w -]+/g, "").trim() || "badge"}.${png ? "png" : "svg"}`;
  return new Response(body, {
    headers: {
      "content-type": png ? "image/png" : "image/svg+xml",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, max-age=60",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  });
});
