import { builder } from "../graphql/builder";
import { listCategories, listPromotedArticles } from "./articles.service";
import { HelpArticleLinkType } from "./help-article-link.graphql";
import { HelpCategoryType } from "./help-category.graphql";

const HelpCentreType = builder.objectRef<Record<string, never>>("HelpCentre").implement({
  description: "The public help centre: categories → sections → articles.",
  fields: (t) => ({
    categories: t.field({ type: [HelpCategoryType], description: "In order.", resolve: (_c, _x, ctx) => listCategories(ctx) }),
    promoted: t.field({ type: [HelpArticleLinkType], resolve: (_c, _x, ctx) => listPromotedArticles(ctx) }),
  }),
});

builder.queryFields((t) => ({
  helpCentre: t.field({ type: HelpCentreType, resolve: () => ({}) }),
}));
