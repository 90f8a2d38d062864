import type { AppContext } from "../context";
import { builder } from "../graphql/builder";
import { NotFoundError } from "../lib/errors";
import { HelpArticleType } from "./help-article.graphql";
import { readerKey } from "./voter";
import { getOwnVote, type VoteCounts, voteCounts, voteOnArticle } from "./votes.service";

const HelpVotesType = builder.objectRef<VoteCounts>("HelpVotes").implement({
  description: '"N out of M found this helpful".',
  fields: (t) => ({
    helpful: t.exposeInt("helpful", { description: "How many answered Yes." }),
    total: t.exposeInt("total", { description: "How many answered at all." }),
  }),
});

builder.objectFields(HelpArticleType, (t) => ({
  votes: t.loadable({
    type: HelpVotesType,
    load: (articleIds: string[], ctx: AppContext) => voteCounts(ctx, articleIds),
    sort: (counts) => counts.articleId,
    resolve: (article) => article.id,
  }),
  myVote: t.boolean({
    nullable: true,
    description: "Your own answer (true: Yes), by your account or this browser; null before you answer.",
    resolve: async (article, _x, ctx) => {
      const key = await readerKey(ctx, { create: false });
      return key ? getOwnVote(ctx, key, article.id) : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  voteOnHelpArticle: t.field({
    type: HelpVotesType,
    description:
      'Answers "Was this article helpful?". One answer per person (your account, or this browser\'s visitor cookie); answering again replaces it.',
    errors: { types: [NotFoundError] },
    args: { articleId: t.arg.id(), helpful: t.arg.boolean() },
    resolve: async (_r, { articleId, helpful }, ctx) =>
      voteOnArticle(ctx, (await readerKey(ctx, { create: true }))!, String(articleId), helpful),
  }),
}));
