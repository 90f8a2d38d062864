import { builder } from "../graphql/builder";
import { getArticleBySlug, relatedArticles } from "./articles.service";
import type { HelpArticle } from "./help.table";
import { HelpArticleLinkType } from "./help-article-link.graphql";
import { HelpSectionType } from "./help-section.graphql";
import { sessionUser } from "./voter";

export const HelpArticleType = builder.objectRef<HelpArticle>("HelpArticle").implement({
  description: "A help centre article. Drafts are visible to staff only.",
  fields: (t) => ({
    id: t.exposeID("id"),
    slug: t.exposeString("slug"),
    title: t.exposeString("title"),
    summary: t.exposeString("summary", { description: "Also the page's meta description." }),
    audience: t.exposeString("audience", { description: 'Who it is written for: "Intended audience: …".' }),
    authorName: t.exposeString("authorName"),
    bodyHtml: t.exposeString("bodyHtml", {
      description: "The body, rendered from Markdown by an allow-list when it was saved: safe to insert as HTML.",
    }),
    state: t.exposeString("state", { description: "draft or published." }),
    promoted: t.exposeBoolean("promoted"),
    updatedAt: t.field({ type: "DateTime", resolve: (a) => a.updatedAt }),
    publishedAt: t.field({ type: "DateTime", nullable: true, resolve: (a) => a.publishedAt }),
    section: t.field({ type: HelpSectionType, resolve: (a) => a.sectionId }),
    related: t.field({
      type: [HelpArticleLinkType],
      description: "Other published articles of the same section.",
      resolve: (a, _x, ctx) => relatedArticles(ctx, a),
    }),
  }),
});

builder.queryFields((t) => ({
  helpArticle: t.field({
    type: HelpArticleType,
    nullable: true,
    description: "The article at this slug; null when there is none, or it is a draft and you are not staff.",
    args: { slug: t.arg.string() },
    resolve: (_r, { slug }, ctx) => getArticleBySlug(ctx, slug, { includeDrafts: sessionUser(ctx)?.role === "staff" }),
  }),
}));
