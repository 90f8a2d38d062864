import { IssuerType, issuerOnly } from "../badges/issuer.graphql";
import { builder } from "../graphql/builder";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { SubmissionClaimedError, SubmissionStateError } from "./errors";
import { claimSubmission, decideSubmission, listQueue } from "./reviews.service";
import { SubmissionType } from "./submission.graphql";
import { DecisionEnum, SubmissionStateEnum } from "./submission-state.graphql";
import type { SubmissionState } from "./submissions.table";

// The assessor's side: the issuer's queue, claiming and deciding.

const QueueCountsType = builder.objectRef<Partial<Record<SubmissionState, number>>>("SubmissionQueueCounts").implement({
  fields: (t) => ({
    submitted: t.int({ resolve: (c) => c.submitted ?? 0 }),
    resubmitted: t.int({ resolve: (c) => c.resubmitted ?? 0 }),
    inReview: t.int({ resolve: (c) => c.in_review ?? 0 }),
    returned: t.int({ resolve: (c) => c.returned ?? 0 }),
    awarded: t.int({ resolve: (c) => c.awarded ?? 0 }),
    notAwarded: t.int({ resolve: (c) => c.not_awarded ?? 0 }),
  }),
});

const QueuePageType = builder.objectRef<Awaited<ReturnType<typeof listQueue>>>("SubmissionQueuePage").implement({
  fields: (t) => ({
    items: t.field({ type: [SubmissionType], resolve: (p) => p.items }),
    hasNextPage: t.exposeBoolean("hasNextPage"),
    endCursor: t.string({
      nullable: true,
      resolve: (p) => {
        const last = p.items.at(-1);
        return last?.submittedAt ? `${last.submittedAt.getTime()}:${last.id}` : null;
      },
    }),
    counts: t.field({ type: QueueCountsType, resolve: (p) => p.counts }),
  }),
});

function parseCursor(raw: string | null | undefined) {
  const match = raw ? /^(\d{1,15}):([0-9a-f-]{36})$/.exec(raw) : null;
  return match ? { submittedAt: Number(match[1]), id: match[2]! } : null;
}

builder.objectField(IssuerType, "submissionQueue", (t) =>
  t.field({
    type: QueuePageType,
    description: "Submissions waiting for review, oldest hand-in first. Owners and assessors; anyone else gets FORBIDDEN.",
    ...issuerOnly("review", "Only the issuer's owners and assessors see its submissions."),
    args: {
      badgeClassId: t.arg.id({ required: false }),
      states: t.arg({ type: [SubmissionStateEnum], required: false, description: "Submitted, resubmitted and in review when empty." }),
      first: t.arg.int({ required: false, defaultValue: 25 }),
      after: t.arg.string({ required: false }),
    },
    resolve: (issuer, args, ctx) =>
      listQueue(ctx, ctx.user!, issuer.id, {
        badgeClassId: args.badgeClassId ? String(args.badgeClassId) : null,
        states: args.states ?? null,
        first: Math.min(Math.max(args.first ?? 25, 1), 100),
        after: parseCursor(args.after),
      }),
  }),
);

const ScoreInput = builder.inputType("CriterionScoreInput", {
  fields: (t) => ({ criterionId: t.id(), level: t.int(), comment: t.string({ required: false }) }),
});

const REVIEW_ERRORS = [NotFoundError, ForbiddenError, SubmissionStateError, SubmissionClaimedError];

builder.mutationFields((t) => ({
  claimSubmission: t.field({
    type: SubmissionType,
    description: "Takes a submission for review; others see it claimed until the claim lapses (2 hours).",
    authScopes: { signedIn: true },
    errors: { types: REVIEW_ERRORS },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => claimSubmission(ctx, ctx.user!, String(id)),
  }),
  decideSubmission: t.field({
    type: SubmissionType,
    description: "Award, return for revision, or deny, with a score per rubric criterion. Exactly one decision per round wins.",
    authScopes: { signedIn: true },
    errors: { types: REVIEW_ERRORS },
    args: {
      id: t.arg.id(),
      decision: t.arg({ type: DecisionEnum }),
      scores: t.arg({ type: [ScoreInput] }),
      comment: t.arg.string({ required: false }),
    },
    resolve: (_r, args, ctx) =>
      decideSubmission(ctx, ctx.user!, String(args.id), {
        decision: args.decision,
        scores: args.scores.map((s) => ({ ...s, criterionId: String(s.criterionId) })),
        comment: args.comment,
      }),
  }),
}));
