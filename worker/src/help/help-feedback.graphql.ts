import { builder } from "../graphql/builder";
import { NotFoundError, RateLimitedError } from "../lib/errors";
import { getArticleLinks } from "./articles.service";
import type { HelpFeedback } from "./help.table";
import { HelpArticleLinkType } from "./help-article-link.graphql";
import { readerKey } from "./voter";
import { listFeedback, MAX_FEEDBACK_LENGTH, sendArticleFeedback } from "./votes.service";

const HelpFeedbackType = builder.objectRef<HelpFeedback>("HelpFeedback").implement({
  description: "What a reader wrote about an article after answering No; for staff.",
  fields: (t) => ({
    id: t.exposeID("id"),
    message: t.exposeString("message"),
    fromSignedInUser: t.boolean({ resolve: (f) => f.userId !== null }),
    createdAt: t.field({ type: "DateTime", resolve: (f) => f.createdAt }),
    article: t.loadable({
      type: HelpArticleLinkType,
      load: (ids: string[], ctx) => getArticleLinks(ctx, ids),
      sort: (article) => article.id,
      resolve: (f) => f.articleId,
    }),
  }),
});

const FeedbackSent = builder.objectRef<HelpFeedback>("HelpFeedbackSent").implement({
  fields: (t) => ({ id: t.exposeID("id") }),
});

builder.queryFields((t) => ({
  helpFeedback: t.withAuth({ staff: true }).field({
    type: [HelpFeedbackType],
    description: "Readers' feedback on articles, newest first (staff only).",
    args: {
      limit: t.arg.int({ required: false, description: "1 to 100; 50 unless given." }),
      before: t.arg({ type: "DateTime", required: false, description: "For the next page: the last item's createdAt." }),
    },
    resolve: (_r, { limit, before }, ctx) => listFeedback(ctx, { limit: limit ?? 50, before }),
  }),
}));

builder.mutationFields((t) => ({
  sendHelpFeedback: t.field({
    type: FeedbackSent,
    description: `Tells staff what was missing or wrong in an article (at most ${MAX_FEEDBACK_LENGTH} characters).`,
    errors: { types: [NotFoundError, RateLimitedError] },
    args: { articleId: t.arg.id(), message: t.arg.string() },
    resolve: async (_r, { articleId, message }, ctx) =>
      sendArticleFeedback(ctx, (await readerKey(ctx, { create: true }))!, { articleId: String(articleId), message }),
  }),
}));
