import { Hono } from "hono";
import { getPublicProfileOfAddress } from "../accounts/profile.service";
import { getAward } from "../badges/awards.service";
import { getBadgeClass } from "../badges/badge-classes.service";
import { getIssuer } from "../badges/issuers.service";
import { backgroundContext } from "../context";
import { IMAGE_HEADERS } from "../http/image-headers";
import { publicUrls } from "../lib/public-urls";
import { BakingError, bakePng, bakeSvg } from "./baking";
import { credentialRoutes } from "./credentials.routes";
import { assertionDocument, badgeClassDocument, issuerDocument, revokedDocument } from "./ob2";
import { assertionPage } from "./page";
import { jsonLd, respond } from "./public-response";

/**
 * Public verification documents: no account, no cookies. Every answer is cached at the edge
 * (Cache API) with an ETag, so a warm verification costs no D1 query; revoking purges it.
 */
export const publicRoutes = new Hono<{ Bindings: Env }>();

publicRoutes.get("/assertions/:id", (c) =>
  respond(c, async (ctx, variant) => {
    const award = await getAward(ctx, c.req.param("id"));
    if (!award) return null;
    const badgeClass = await getBadgeClass(ctx, award.badgeClassId);
    const issuer = await getIssuer(ctx, award.issuerId);
    if (!badgeClass || !issuer) return null;
    if (variant === "html") {
      // The learner's profile, if they chose to show it, on badges they keep in their backpack.
      const profile = award.hiddenAt || award.revokedAt ? null : await getPublicProfileOfAddress(ctx, award.recipientEmail);
      return {
        status: award.revokedAt ? 410 : 200,
        body: assertionPage(ctx.config.appUrl, award, badgeClass, issuer, ctx.now(), profile),
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
  // Both generations travel in the image: OB 2.0 tools read the assertion, OB 3.0 wallets the credential.
  // Through the credential's own route, so its edge-cached signature is reused, not made again.
  const signed = await credentialRoutes.request(
    `/credentials/${award.id}`,
    { headers: { accept: "application/json" } },
    c.env,
    c.executionCtx,
  );
  const credential = signed.status === 200 ? JSON.stringify(await signed.json()) : null;
  const png = badgeClass.imageKey.endsWith(".png");
  let body: Uint8Array<ArrayBuffer> | string;
  if (png) {
    body = bakePng(new Uint8Array(await image.arrayBuffer()), assertion);
    if (credential) body = bakePng(body, credential, "openbadgecredential");
  } else {
    try {
      body = bakeSvg(await image.text(), {
        assertion: { verify: publicUrls(ctx.config.appUrl).assertion(award.id), json: assertion },
        credential,
      });
    } catch (error) {
      if (!(error instanceof BakingError)) throw error;
      // An image stored before uploads were parsed, and not well-formed: nothing safe to bake into.
      return c.json({ error: "This badge's image cannot be baked." }, 422);
    }
  }
  const filename = `${badgeClass.name.replace(/[^\w -]+/g, "").trim() || "badge"}.${png ? "png" : "svg"}`;
  return new Response(body, {
    headers: {
      "content-type": png ? "image/png" : "image/svg+xml",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "private, max-age=60",
      ...IMAGE_HEADERS,
    },
  });
});
