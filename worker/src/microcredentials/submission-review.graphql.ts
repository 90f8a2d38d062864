import { builder } from "../graphql/builder";
import { listScores } from "./reviews.service";
import { DecisionEnum } from "./submission-state.graphql";
import type { SubmissionReview, SubmissionScore } from "./submissions.table";

const ScoreType = builder.objectRef<SubmissionScore>("CriterionScore").implement({
  fields: (t) => ({
    criterionId: t.exposeID("criterionId"),
    level: t.exposeInt("level", { description: "Index into the criterion's levels, 0 lowest." }),
    comment: t.exposeString("comment"),
  }),
});

export const SubmissionReviewType = builder.objectRef<SubmissionReview>("SubmissionReview");

SubmissionReviewType.implement({
  description: "An assessor's decision on one round, with per-criterion scores and feedback.",
  fields: (t) => ({
    round: t.exposeInt("round"),
    decision: t.field({ type: DecisionEnum, resolve: (r) => r.decision }),
    comment: t.exposeString("comment"),
    decidedAt: t.field({ type: "DateTime", resolve: (r) => r.createdAt }),
    scores: t.field({ type: [ScoreType], resolve: (r, _a, ctx) => listScores(ctx, [r.id]) }),
  }),
});
