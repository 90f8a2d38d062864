import { and, asc, count, eq, gt, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import { getPrimaryEmail, getUserById } from "../accounts/accounts.service";
import { emails, type User, users } from "../accounts/accounts.table";
import { awardInsertWhere } from "../badges/awards.service";
import type { Evidence } from "../badges/awards.table";
import { requireBadgeClass } from "../badges/badge-classes.service";
import { getRole, requireIssuerRole, roleAllows } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { insertWhere } from "../db/conditional";
import { emailIntent } from "../email/queued-email";
import { ForbiddenError, NotFoundError, Problems } from "../lib/errors";
import { newId } from "../lib/ids";
import { HOUR } from "../lib/time";
import { afterCommit } from "../outbox/enqueue";
import { SubmissionClaimedError } from "./errors";
import { submissionNotAwardedEmail, submissionReturnedEmail } from "./micro-credentials.emails";
import { type MicroCredential, microCredentials } from "./micro-credentials.table";
import { SUBMISSION_DECIDED, submissionEventIntent } from "./submission-events";
import { getSubmission, requireMicroCredential, stateError, UNDECIDED } from "./submissions.service";
import {
  type Decision,
  type Submission,
  type SubmissionState,
  submissionReviews,
  submissionScores,
  submissions,
} from "./submissions.table";
import { transition } from "./transition";

/** How long a claim holds before another assessor may take the submission. */
export const CLAIM_MS = 2 * HOUR;
/** States waiting for (or under) review. */
export const REVIEWABLE: readonly SubmissionState[] = ["submitted", "resubmitted", "in_review"];

/** No other assessor holds a live claim: the submission is this user's to review. */
function claimFree(userId: string, now: number): SQL {
  return or(isNull(submissions.claimedBy), eq(submissions.claimedBy, userId), lte(submissions.claimedUntil, new Date(now)))!;
}

/** The submission, if the user reviews for its issuer; anyone else learns nothing of it. */
async function requireReviewable(ctx: Pick<AppContext, "db">, user: User, id: string): Promise<Submission> {
  const submission = await getSubmission(ctx, id);
  if (!submission || submission.learnerId === user.id) throw new NotFoundError("No submission with that id.");
  await requireIssuerRole(ctx, user, submission.issuerId, "review").catch((error) => {
    throw error instanceof NotFoundError ? new NotFoundError("No submission with that id.") : error;
  });
  return submission;
}

async function explainReviewRefusal(ctx: Pick<AppContext, "db" | "now">, user: User, id: string, action: string): Promise<never> {
  const current = await getSubmission(ctx, id);
  if (!current) throw new NotFoundError("No submission with that id.");
  if (REVIEWABLE.includes(current.state) && current.claimedBy && current.claimedBy !== user.id && current.claimedUntil) {
    throw new SubmissionClaimedError(current.claimedUntil);
  }
  throw stateError(current, action);
}

/** Takes a submission for review: others see it claimed until the claim lapses. Claiming it again extends the claim. */
export async function claimSubmission(ctx: AppContext, user: User, id: string): Promise<Submission> {
  const submission = await requireReviewable(ctx, user, id);
  if (!REVIEWABLE.includes(submission.state)) throw stateError(submission, "review it");
  const now = ctx.now();
  const updated = await transition(ctx, {
    submissionId: id,
    from: REVIEWABLE,
    to: "in_review",
    actorId: user.id,
    guard: claimFree(user.id, now),
    set: { claimedBy: user.id, claimedUntil: new Date(now + CLAIM_MS) },
    audit: { action: "submission.claimed" },
  });
  return updated ?? explainReviewRefusal(ctx, user, id, "review it");
}

export interface ScoreInput {
  criterionId: string;
  level: number;
  comment?: string | null;
}

export interface DecisionInput {
  decision: Decision;
  scores: ScoreInput[];
  /** Feedback for a return, the reason for a denial; optional with an award. */
  comment?: string | null;
}

function checkDecision(definition: MicroCredential, input: DecisionInput) {
  const problems = new Problems();
  const scores = definition.criteria.map((criterion) => {
    const given = input.scores.filter((s) => s.criterionId === criterion.id);
    const field = `scores.${criterion.id}`;
    if (given.length !== 1) {
      problems.add(field, `Score "${criterion.name}" once.`);
      return { criterion, level: 0, comment: "" };
    }
    const score = given[0]!;
    if (!Number.isInteger(score.level) || score.level < 0 || score.level >= criterion.levels.length) {
      problems.add(field, `Choose one of the levels of "${criterion.name}".`);
    }
    const comment = (score.comment ?? "").trim();
    if (comment.length > 5000) problems.add(field, "A comment can be at most 5000 characters.");
    return { criterion, level: score.level, comment };
  });
  for (const [i, s] of input.scores.entries()) {
    if (!definition.criteria.some((c) => c.id === s.criterionId))
      problems.add(`scores.${i}.criterionId`, "That is not one of the rubric's criteria.");
  }
  const comment = (input.comment ?? "").trim();
  if (comment.length > 10000) problems.add("comment", "The comment can be at most 10000 characters.");
  const passes = scores.every((s) => s.level >= s.criterion.requiredLevel);
  if (input.decision === "awarded" && !passes) {
    const short = scores.filter((s) => s.level < s.criterion.requiredLevel).map((s) => `"${s.criterion.name}"`);
    problems.add("decision", `An award needs every criterion at its required level; ${short.join(", ")} is below it.`);
  }
  if (input.decision === "returned" && !comment) problems.add("comment", "Tell the learner what to revise.");
  if (input.decision === "not_awarded" && !comment) problems.add("comment", "Give the reason it is not awarded.");
  problems.throwIfAny();
  return { scores, comment };
}

/** The public evidence of an award: the learner's summary and the links they chose to make public; files and text stay private. */
function awardEvidence(definition: MicroCredential, submission: Submission, badgeName: string): Evidence[] {
  const evidence: Evidence[] = [
    {
      name: `Submission for "${badgeName}"`,
      narrative: submission.publicNarrative ?? `Evidence assessed against the rubric of "${badgeName}".`,
      description: definition.competency,
      genre: "Submission",
    },
  ];
  for (const part of definition.parts) {
    const answer = submission.answers[part.id];
    if (part.kind === "link" && answer?.url && answer.public) {
      evidence.push({ url: answer.url, name: part.title, description: part.prompt, genre: "Link" });
    }
  }
  return evidence;
}

/**
 * Decides the round: award, return for revision, or deny. One batch writes the decision, its
 * scores, the award (through the badges service, with the evidence), the audit and the
 * learner's email; the conditional UPDATE decides which of two assessors deciding at once wins.
 */
export async function decideSubmission(ctx: AppContext, user: User, id: string, input: DecisionInput): Promise<Submission> {
  const submission = await requireReviewable(ctx, user, id);
  if (!REVIEWABLE.includes(submission.state)) throw stateError(submission, "decide it");
  const definition = await requireMicroCredential(ctx, submission.badgeClassId);
  const { scores, comment } = checkDecision(definition, input);
  const now = ctx.now();
  const [badgeClass, learner, learnerEmail] = await Promise.all([
    requireBadgeClass(ctx, submission.badgeClassId),
    getUserById(ctx, submission.learnerId),
    getPrimaryEmail(ctx, submission.learnerId),
  ]);
  if (!learner) throw new Error(`submission ${id} has no learner`);
  const issuer = await requireIssuerRole(ctx, user, submission.issuerId, "review");
  const eventId = newId();
  const reviewId = newId();
  const happened = sql`exists (select 1 from ${submissions} where ${submissions.id} = ${id} and ${submissions.lastEventId} = ${eventId})`;
  const url = `${ctx.config.appUrl}/submissions/${id}`;
  const email =
    input.decision === "awarded"
      ? null
      : await emailIntent(
          ctx,
          (input.decision === "returned" ? submissionReturnedEmail : submissionNotAwardedEmail)(learnerEmail, {
            badgeName: badgeClass.name,
            issuerName: issuer.name,
            comment,
            url,
          }),
          now,
          { key: `submission.decided:${id}:${submission.round}`, when: happened },
        );
  const decided = submissionEventIntent(ctx.db, SUBMISSION_DECIDED, { submissionId: id, eventId }, now, happened);
  const award =
    input.decision === "awarded"
      ? await awardInsertWhere(
          ctx,
          badgeClass,
          {
            email: learnerEmail,
            recipientName: `${learner.firstName} ${learner.lastName}`.trim() || null,
            narrative: comment || null,
            evidence: awardEvidence(definition, submission, badgeClass.name),
            results: scores.map((x) => ({
              criterionId: x.criterion.id,
              name: x.criterion.name,
              description: x.criterion.description,
              levels: x.criterion.levels.map((l) => l.name),
              requiredLevel: x.criterion.requiredLevel,
              achievedLevel: x.level,
            })),
          },
          user.id,
          `submission:${id}`,
          now,
        )
      : null;
  const updated = await transition(ctx, {
    submissionId: id,
    from: REVIEWABLE,
    to: input.decision,
    actorId: user.id,
    eventId,
    // The round the assessor read: a resubmission meanwhile is not what they judged.
    guard: and(eq(submissions.round, submission.round), claimFree(user.id, now)),
    set: { decidedAt: new Date(now), claimedBy: null, claimedUntil: null, awardId: award?.awardId ?? null },
    audit: { action: `submission.${input.decision}`, data: { round: submission.round, reviewId } },
    // The award goes first, under the change's own guard: the submission then refers to it.
    before: (guard) => award?.statements(guard) ?? [],
    after: (happenedNow) => [
      insertWhere(
        ctx.db,
        submissionReviews,
        {
          id: reviewId,
          submissionId: id,
          round: submission.round,
          assessorId: user.id,
          decision: input.decision,
          comment,
          createdAt: new Date(now),
        },
        happenedNow,
      ),
      ...scores.map((s) =>
        insertWhere(ctx.db, submissionScores, { reviewId, criterionId: s.criterion.id, level: s.level, comment: s.comment }, happenedNow),
      ),
      ...(email ? [email.statement] : []),
      decided.statement,
    ],
  });
  if (!updated) return explainReviewRefusal(ctx, user, id, "decide it");
  afterCommit(ctx, [...(email ? [email.id] : []), ...(award ? [award.notificationId] : []), decided.id]);
  return updated;
}

export interface QueueFilter {
  badgeClassId?: string | null;
  states?: SubmissionState[] | null;
  first: number;
  /** Keyset: the `submittedAt`/id of the last item of the previous page. */
  after?: { submittedAt: number; id: string } | null;
}

/** Who handed it in, as the queue shows it: null under blind review until the decision. */
export interface LearnerPreview {
  name: string;
  email: string | null;
}

export type QueueItem = Submission & { preview: LearnerPreview | null };

/**
 * An issuer's queue, oldest hand-in first, with the counts per state, in three D1 statements
 * whatever the page size: the reviewer's role, then one batch of the page (joined to the
 * learner's name and the blind-review flag) and the counts (ADR 020).
 */
export async function listQueue(ctx: AppContext, user: User, issuerId: string, filter: QueueFilter) {
  if (!roleAllows(await getRole(ctx, issuerId, user.id), "review")) {
    throw new ForbiddenError("Only the issuer's owners and assessors see its submissions.");
  }
  const states = filter.states?.length ? filter.states : [...REVIEWABLE];
  const scope = and(
    eq(submissions.issuerId, issuerId),
    filter.badgeClassId ? eq(submissions.badgeClassId, filter.badgeClassId) : undefined,
  );
  const after = filter.after
    ? or(
        gt(submissions.submittedAt, new Date(filter.after.submittedAt)),
        and(eq(submissions.submittedAt, new Date(filter.after.submittedAt)), gt(submissions.id, filter.after.id)),
      )
    : undefined;
  const [rows, counts] = await ctx.db.batch([
    ctx.db
      .select({
        submission: submissions,
        firstName: users.firstName,
        lastName: users.lastName,
        email: emails.address,
        blindReview: microCredentials.blindReview,
      })
      .from(submissions)
      .innerJoin(users, eq(users.id, submissions.learnerId))
      .innerJoin(microCredentials, eq(microCredentials.badgeClassId, submissions.badgeClassId))
      .leftJoin(emails, and(eq(emails.userId, submissions.learnerId), eq(emails.isPrimary, true)))
      .where(and(scope, inArray(submissions.state, states), after))
      .orderBy(asc(submissions.submittedAt), asc(submissions.id))
      .limit(filter.first + 1),
    ctx.db
      .select({ state: submissions.state, n: count() })
      .from(submissions)
      .where(and(scope, inArray(submissions.state, ["submitted", "resubmitted", "in_review", "returned", "awarded", "not_awarded"])))
      .groupBy(submissions.state),
  ]);
  const items: QueueItem[] = rows.slice(0, filter.first).map((r) => ({
    ...r.submission,
    preview:
      r.blindReview && UNDECIDED.includes(r.submission.state) ? null : { name: `${r.firstName} ${r.lastName}`.trim(), email: r.email },
  }));
  return {
    items,
    hasNextPage: rows.length > filter.first,
    counts: Object.fromEntries(counts.map((c) => [c.state, c.n])) as Partial<Record<SubmissionState, number>>,
  };
}

export function listReviews(ctx: Pick<AppContext, "db">, submissionId: string) {
  return ctx.db
    .select()
    .from(submissionReviews)
    .where(eq(submissionReviews.submissionId, submissionId))
    .orderBy(submissionReviews.round)
    .all();
}

export function listScores(ctx: Pick<AppContext, "db">, reviewIds: string[]) {
  if (reviewIds.length === 0) return Promise.resolve([]);
  return ctx.db.select().from(submissionScores).where(inArray(submissionScores.reviewId, reviewIds)).all();
}
