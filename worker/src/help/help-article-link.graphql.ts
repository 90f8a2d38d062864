import type { AppContext } from "../context";
import { listsFor } from "../db/limits";
import { builder } from "../graphql/builder";
import { type ArticleLink, listArticlesOfSections } from "./articles.service";
import { HelpSectionType } from "./help-section.graphql";

/** An article as lists show it: enough to link to it, no body. */
export const HelpArticleLinkType = builder.objectRef<ArticleLink>("HelpArticleLink").implement({
  description: "A published help article as a list shows it; open it by slug for its body.",
  fields: (t) => ({
    id: t.exposeID("id"),
    slug: t.exposeString("slug"),
    title: t.exposeString("title"),
    summary: t.exposeString("summary"),
    promoted: t.exposeBoolean("promoted"),
    updatedAt: t.field({ type: "DateTime", resolve: (a) => a.updatedAt }),
    section: t.field({ type: HelpSectionType, resolve: (a) => a.sectionId }),
  }),
});

builder.objectField(HelpSectionType, "articles", (t) =>
  t.loadableList({
    type: HelpArticleLinkType,
    description: "Its published articles, in order.",
    load: async (sectionIds: string[], ctx: AppContext) =>
      listsFor(sectionIds, await listArticlesOfSections(ctx, sectionIds), (article) => article.sectionId),
    resolve: (section) => section.id,
  }),
);
