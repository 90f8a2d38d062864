import { AwardType } from "../badges/award.graphql";
import { BadgeClassType } from "../badges/badge-class.graphql";
import { IssuerType } from "../badges/issuer.graphql";
import { builder } from "../graphql/builder";
import { publicUrls } from "../lib/public-urls";
import { embedSnippet, linkedInAddToProfileUrl, linkedInShareUrl } from "./sharing";

// Sharing an award: the public verification link and what LinkedIn and other sites need.
builder.objectFields(AwardType, (t) => ({
  publicUrl: t.string({
    description: "The verification URL: a page for people, Open Badges 2.0 JSON-LD for tools.",
    resolve: (a, _x, ctx) => publicUrls(ctx.config.appUrl).assertion(a.id),
  }),
  linkedInAddToProfileUrl: t.string({
    description: "LinkedIn's Add to profile form for a certification, filled in.",
    resolve: async (a, _x, ctx) =>
      linkedInAddToProfileUrl(
        ctx.config.appUrl,
        a,
        await BadgeClassType.getDataloader(ctx).load(a.badgeClassId),
        await IssuerType.getDataloader(ctx).load(a.issuerId),
      ),
  }),
  linkedInShareUrl: t.string({ resolve: (a, _x, ctx) => linkedInShareUrl(ctx.config.appUrl, a) }),
  embedHtml: t.string({
    description: "An HTML snippet: the badge image linked to its verification page.",
    resolve: async (a, _x, ctx) => {
      const badgeClass = await BadgeClassType.getDataloader(ctx).load(a.badgeClassId);
      return embedSnippet(ctx.config.appUrl, a, badgeClass, publicUrls(ctx.config.appUrl).image(badgeClass.imageKey));
    },
  }),
}));
