import { getPrimaryEmail, getUserById } from "../accounts/accounts.service";
import { AwardType } from "../badges/award.graphql";
import { getAward } from "../badges/awards.service";
import { BadgeClassType } from "../badges/badge-class.graphql";
import type { AppContext } from "../context";
import { builder } from "../graphql/builder";
import { NotFoundError } from "../lib/errors";
import { DAY } from "../lib/time";
import { getMicroCredential } from "./definitions.service";
import { PrerequisitesMissingError, SubmissionStateError } from "./errors";
import { evidenceUrl } from "./evidence-files.service";
import { MicroCredentialType } from "./micro-credential.graphql";
import { listReviews, type QueueItem } from "./reviews.service";
import { SubmissionReviewType } from "./submission-review.graphql";
import { SubmissionStateEnum } from "./submission-state.graphql";
import {
  listAttempts,
  listMySubmissions,
  listSubmissionEvents,
  requireVisibleSubmission,
  resubmitSubmission,
  saveSubmissionDraft,
  startSubmission,
  submitSubmission,
  UNDECIDED,
  withdrawSubmission,
} from "./submissions.service";
import type { Answer, Answers, Submission, SubmissionEvent } from "./submissions.table";

const AnswerType = builder.objectRef<Answer & { partId: string }>("SubmissionAnswer").implement({
  fields: (t) => ({
    partId: t.exposeID("partId"),
    text: t.string({ nullable: true, resolve: (a) => a.text ?? null }),
    url: t.string({ nullable: true, resolve: (a) => a.url ?? null }),
    public: t.boolean({ resolve: (a) => a.public ?? false }),
    fileName: t.string({ nullable: true, resolve: (a) => a.file?.name ?? null }),
    fileType: t.string({ nullable: true, resolve: (a) => a.file?.type ?? null }),
    fileSize: t.int({ nullable: true, resolve: (a) => a.file?.size ?? null }),
    fileUrl: t.string({
      nullable: true,
      description: "A link to the file that works for 10 minutes, in your session only.",
      resolve: (a, _x, ctx) => (a.file && ctx.user ? evidenceUrl(ctx, a.file.key, ctx.user.id) : null),
    }),
  }),
});

const answerList = (answers: Answers) => Object.entries(answers).map(([partId, a]) => ({ ...a, partId }));

const SubmissionEventType = builder.objectRef<SubmissionEvent>("SubmissionEvent").implement({
  description: "One step of a submission's status history.",
  fields: (t) => ({
    state: t.field({ type: SubmissionStateEnum, resolve: (e) => e.state }),
    at: t.field({ type: "DateTime", resolve: (e) => e.createdAt }),
  }),
});

const AttemptType = builder.objectRef<Awaited<ReturnType<typeof listAttempts>>[number]>("SubmissionAttempt").implement({
  description: "What was handed in one round, kept when the learner revises.",
  fields: (t) => ({
    round: t.exposeInt("round"),
    answers: t.field({ type: [AnswerType], resolve: (a) => answerList(a.answers) }),
    note: t.exposeString("note", { nullable: true }),
    submittedAt: t.field({ type: "DateTime", resolve: (a) => a.submittedAt }),
  }),
});

/**
 * Blind review: an assessor sees neither the learner's name nor their email until a decision
 * is made; the learner always sees their own.
 */
async function learnerShown(ctx: AppContext, s: Submission): Promise<boolean> {
  // A queue page carries what it may show, from the same query as the page.
  if ("preview" in s) return (s as QueueItem).preview !== null;
  if (ctx.user?.id === s.learnerId) return true;
  if (!UNDECIDED.includes(s.state)) return true;
  return !(await getMicroCredential(ctx, s.badgeClassId))?.blindReview;
}

export const SubmissionType = builder.objectRef<Submission>("Submission").implement({
  description: "A learner's work towards a micro-credential. Readable by the learner and the issuer's assessors and owners.",
  fields: (t) => ({
    id: t.exposeID("id"),
    state: t.field({ type: SubmissionStateEnum, resolve: (s) => s.state }),
    round: t.exposeInt("round", { description: "How many times it was handed in." }),
    badgeClass: t.field({ type: BadgeClassType, resolve: (s) => s.badgeClassId }),
    microCredential: t.field({
      type: MicroCredentialType,
      resolve: async (s, _a, ctx) => (await getMicroCredential(ctx, s.badgeClassId))!,
    }),
    answers: t.field({ type: [AnswerType], resolve: (s) => answerList(s.answers) }),
    publicNarrative: t.exposeString("publicNarrative", { nullable: true }),
    note: t.exposeString("note", { nullable: true, description: "The learner's note to the assessor with a resubmission." }),
    learnerName: t.string({
      nullable: true,
      description: "Null for an assessor under blind review until the decision.",
      resolve: async (s, _a, ctx) => {
        if (!(await learnerShown(ctx, s))) return null;
        if ("preview" in s) return (s as QueueItem).preview!.name;
        const learner = await getUserById(ctx, s.learnerId);
        return learner ? `${learner.firstName} ${learner.lastName}`.trim() : null;
      },
    }),
    learnerEmail: t.string({
      nullable: true,
      description: "Null for an assessor under blind review until the decision.",
      resolve: async (s, _a, ctx) => {
        if (!(await learnerShown(ctx, s))) return null;
        return "preview" in s ? (s as QueueItem).preview!.email : getPrimaryEmail(ctx, s.learnerId);
      },
    }),
    claimed: t.boolean({
      description: "An assessor holds a live claim on it.",
      resolve: (s, _a, ctx) => s.state === "in_review" && !!s.claimedUntil && s.claimedUntil.getTime() > ctx.now(),
    }),
    claimedByMe: t.boolean({
      resolve: (s, _a, ctx) => s.claimedBy === ctx.user?.id && !!s.claimedUntil && s.claimedUntil.getTime() > ctx.now(),
    }),
    claimedUntil: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.claimedUntil }),
    submittedAt: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.submittedAt }),
    daysWaiting: t.int({
      nullable: true,
      description: "Whole days since it was last handed in, while it waits for a decision.",
      resolve: (s, _a, ctx) =>
        s.submittedAt && ["submitted", "resubmitted", "in_review"].includes(s.state)
          ? Math.floor((ctx.now() - s.submittedAt.getTime()) / DAY)
          : null,
    }),
    decidedAt: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.decidedAt }),
    updatedAt: t.field({ type: "DateTime", resolve: (s) => s.updatedAt }),
    award: t.field({ type: AwardType, nullable: true, resolve: (s, _a, ctx) => (s.awardId ? getAward(ctx, s.awardId) : null) }),
    history: t.field({ type: [SubmissionEventType], resolve: (s, _a, ctx) => listSubmissionEvents(ctx, s.id) }),
    attempts: t.field({ type: [AttemptType], resolve: (s, _a, ctx) => listAttempts(ctx, s.id) }),
    reviews: t.field({ type: [SubmissionReviewType], resolve: (s, _a, ctx) => listReviews(ctx, s.id) }),
  }),
});

const AnswerInput = builder.inputType("SubmissionAnswerInput", {
  fields: (t) => ({
    partId: t.id(),
    text: t.string({ required: false }),
    url: t.string({ required: false }),
    public: t.boolean({ required: false, description: "Let this link appear in the public credential." }),
  }),
});

builder.queryFields((t) => ({
  mySubmissions: t.field({
    type: [SubmissionType],
    description: "Your submissions, most recently changed first.",
    authScopes: { signedIn: true },
    args: { first: t.arg.int({ required: false, defaultValue: 50 }) },
    resolve: (_r, { first }, ctx) => listMySubmissions(ctx, ctx.user!, { first: Math.min(Math.max(first ?? 50, 1), 100) }),
  }),
  submission: t.field({
    type: SubmissionType,
    nullable: true,
    description: "A submission you made, or one you review for its issuer.",
    authScopes: { signedIn: true },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) =>
      requireVisibleSubmission(ctx, ctx.user!, String(id)).then(
        (r) => r.submission,
        (error) => {
          if (error instanceof NotFoundError) return null;
          throw error;
        },
      ),
  }),
}));

const LEARNER_ERRORS = [NotFoundError, SubmissionStateError, PrerequisitesMissingError];

builder.mutationFields((t) => ({
  startSubmission: t.field({
    type: SubmissionType,
    description: "Starts a draft for a micro-credential; one live submission per learner.",
    authScopes: { signedIn: true },
    errors: { types: LEARNER_ERRORS },
    args: { badgeClassId: t.arg.id() },
    resolve: (_r, { badgeClassId }, ctx) => startSubmission(ctx, ctx.user!, String(badgeClassId)),
  }),
  saveSubmissionDraft: t.field({
    type: SubmissionType,
    description: "Saves answers as you go, while it is a draft or returned for revision.",
    authScopes: { signedIn: true },
    errors: { types: LEARNER_ERRORS },
    args: {
      id: t.arg.id(),
      answers: t.arg({ type: [AnswerInput] }),
      publicNarrative: t.arg.string({ required: false, description: "What the credential says publicly about your evidence." }),
    },
    resolve: (_r, args, ctx) =>
      saveSubmissionDraft(ctx, ctx.user!, String(args.id), {
        answers: args.answers.map((a) => ({ ...a, partId: String(a.partId) })),
        publicNarrative: args.publicNarrative,
      }),
  }),
  submitSubmission: t.field({
    type: SubmissionType,
    authScopes: { signedIn: true },
    errors: { types: LEARNER_ERRORS },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => submitSubmission(ctx, ctx.user!, String(id)),
  }),
  resubmitSubmission: t.field({
    type: SubmissionType,
    description: "Hands a returned submission in again, with a note to the assessor; earlier rounds and their feedback stay.",
    authScopes: { signedIn: true },
    errors: { types: LEARNER_ERRORS },
    args: { id: t.arg.id(), note: t.arg.string({ required: false }) },
    resolve: (_r, { id, note }, ctx) => resubmitSubmission(ctx, ctx.user!, String(id), note),
  }),
  withdrawSubmission: t.field({
    type: SubmissionType,
    description: "Takes the submission back before a decision.",
    authScopes: { signedIn: true },
    errors: { types: LEARNER_ERRORS },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => withdrawSubmission(ctx, ctx.user!, String(id)),
  }),
}));
