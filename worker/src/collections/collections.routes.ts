import { Hono } from "hono";
import { getUserById } from "../accounts/accounts.service";
import { getPublicProfile } from "../accounts/profile.service";
import { getBadgeClasses } from "../badges/badge-classes.service";
import { getIssuers } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { getConfig } from "../env";
import { escapeHtml } from "../lib/html";
import { PREVIEW_CARD, publicUrls } from "../lib/public-urls";
import { profileSection, publicPage } from "../verification/page";
import { jsonLd, respond } from "../verification/public-response";
import { collectionBadges, collectionCacheUrl, getSharedCollection, shareTokenHash } from "./collections.service";
import type { Collection } from "./collections.table";

/** `GET /public/collections/:token`: a shared collection, as a page for people or JSON for tools. */
export const collectionRoutes = new Hono<{ Bindings: Env }>();

// Hiding or revoking a badge does not purge its collections' pages: they are kept briefly.
const MAX_AGE_SECONDS = 60;

async function publicView(ctx: AppContext, collection: Collection) {
  const [owner, profile, awards] = await Promise.all([
    getUserById(ctx, collection.userId),
    getPublicProfile(ctx, collection.userId),
    collectionBadges(ctx, collection, { publicOnly: true }),
  ]);
  // One query each for the badge classes and the issuers, however many badges there are.
  const [badgeClasses, issuers] = await Promise.all([
    getBadgeClasses(
      ctx,
      awards.map((a) => a.badgeClassId),
    ),
    getIssuers(
      ctx,
      awards.map((a) => a.issuerId),
    ),
  ]);
  const shown = awards.flatMap((award) => {
    const badgeClass = badgeClasses.find((b) => b.id === award.badgeClassId);
    const issuer = issuers.find((i) => i.id === award.issuerId);
    return badgeClass && issuer ? [{ award, badgeClass, issuer }] : [];
  });
  const badges = shown.map(({ award, badgeClass, issuer }) => ({
    assertion: publicUrls(ctx.config.appUrl).assertion(award.id),
    name: badgeClass.name,
    issuer: issuer.name,
    image: publicUrls(ctx.config.appUrl).image(badgeClass.imageKey),
    issuedOn: award.issuedOn.toISOString(),
  }));
  const first = shown[0]?.badgeClass;
  return {
    owner: owner ? `${owner.firstName} ${owner.lastName}` : "A Laurel learner",
    profile,
    badges,
    /** What link previews show: the first badge's PNG, or Laurel's card. */
    preview: first ? publicUrls(ctx.config.appUrl).previewImage(first) : `${ctx.config.appUrl}${PREVIEW_CARD}`,
  };
}

collectionRoutes.get("/collections/:token", async (c) => {
  const token = c.req.param("token");
  const hash = await shareTokenHash(token);
  if (!hash) return c.json({ error: "Not found" }, 404);
  return respond(
    c,
    async (ctx, variant) => {
      const collection = await getSharedCollection(ctx, hash);
      if (!collection) return null;
      const url = publicUrls(ctx.config.appUrl).collection(token);
      const { owner, profile, badges, preview } = await publicView(ctx, collection);
      if (variant === "json") {
        return {
          ...jsonLd(200, { id: url, name: collection.name, description: collection.description, owner, badges }),
          type: "application/json; charset=utf-8",
        };
      }
      const items = badges
        .map(
          (b) =>
            `<li><a href="${escapeHtml(b.assertion)}"><img src="${escapeHtml(b.image)}" alt="" width="120" height="120"><br>${escapeHtml(b.name)}</a><br><small>${escapeHtml(b.issuer)}</small></li>`,
        )
        .join("");
      const description =
        `${owner}'s collection of ${badges.length} verified badge${badges.length === 1 ? "" : "s"}. ${collection.description}`.slice(
          0,
          300,
        );
      return {
        status: 200,
        type: "text/html; charset=utf-8",
        body: publicPage(
          { title: `${collection.name} · ${owner}`, description, url, image: preview },
          `<h1>${escapeHtml(collection.name)}</h1>
<p>A collection by ${escapeHtml(owner)}${collection.description ? `: ${escapeHtml(collection.description)}` : ""}</p>
${badges.length ? `<ul class="grid">${items}</ul>` : "<p>No badges in this collection yet.</p>"}
${profile ? profileSection(ctx.config.appUrl, profile, "Collected by") : ""}
<p><small>Each badge links to its own verification page.</small></p>
`,
        ),
      };
    },
    { maxAgeSeconds: MAX_AGE_SECONDS, revalidate: true, cacheUrl: collectionCacheUrl(getConfig(c.env).appUrl, hash) },
  );
});
