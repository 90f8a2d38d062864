import { builder } from "../graphql/builder";
import { HelpCategoryType } from "./help-category.graphql";
import { HelpSectionType } from "./help-section.graphql";
import { MAX_QUERY_LENGTH, type SearchHit, searchArticles } from "./search.service";

const HelpSearchHitType = builder.objectRef<SearchHit>("HelpSearchHit").implement({
  description: "A published article that matches a search, best first.",
  fields: (t) => ({
    id: t.exposeID("id"),
    slug: t.exposeString("slug"),
    title: t.exposeString("title"),
    summary: t.exposeString("summary"),
    titleHtml: t.exposeString("titleHtml", { description: "The title, escaped, with its matches in <mark>." }),
    snippetHtml: t.exposeString("snippetHtml", { description: "Words around the matches, escaped, with the matches in <mark>." }),
    section: t.field({ type: HelpSectionType, resolve: (h) => h.sectionId }),
    category: t.field({ type: HelpCategoryType, resolve: (h) => h.categoryId }),
  }),
});

builder.queryFields((t) => ({
  searchHelp: t.field({
    type: [HelpSearchHitType],
    description: `Full-text search of published articles; every word matches as a prefix ("recov" finds "recovery"). At most ${MAX_QUERY_LENGTH} characters are read.`,
    args: {
      query: t.arg.string(),
      categoryId: t.arg.id({ required: false, description: "Only this category's articles." }),
      limit: t.arg.int({ required: false, description: "1 to 50; 10 unless given." }),
    },
    resolve: (_r, { query, categoryId, limit }, ctx) =>
      searchArticles(ctx, { query, categoryId: categoryId ? String(categoryId) : null, limit: limit ?? 10 }),
  }),
}));
