import { and, desc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import { emails, type User, users } from "../accounts/accounts.table";
import { awards } from "../badges/awards.table";
import { requireBadgeClass } from "../badges/badge-classes.service";
import { badgeClasses } from "../badges/badge-classes.table";
import { getRole, roleAllows } from "../badges/issuers.service";
import { issuerMembers } from "../badges/issuers.table";
import type { AppContext } from "../context";
import { insertWhere } from "../db/conditional";
import { emailIntent } from "../email/queued-email";
import { NotFoundError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { afterCommit } from "../outbox/enqueue";
import type { OutboxWrite } from "../outbox/intents";
import { stepStandings } from "../pathways/progress.service";
import { type AnswerInput, checkComplete, mergeAnswers } from "./answers";
import { getMicroCredential, listStepPrerequisites } from "./definitions.service";
import { PrerequisitesMissingError, SubmissionStateError } from "./errors";
import { submissionReceivedEmail } from "./micro-credentials.emails";
import { type MicroCredential, microCredentialPrerequisites } from "./micro-credentials.table";
import { SUBMISSION_SUBMITTED, submissionEventIntent } from "./submission-events";
import { type Submission, type SubmissionState, submissionAttempts, submissionEvents, submissions } from "./submissions.table";
import { transition } from "./transition";

/** States in which the learner may still withdraw: anything before a decision. */
export const UNDECIDED: readonly SubmissionState[] = ["draft", "submitted", "in_review", "returned", "resubmitted"];
/** States in which the learner edits the answers. */
const EDITABLE: readonly SubmissionState[] = ["draft", "returned"];

export async function requireMicroCredential(ctx: Pick<AppContext, "db">, badgeClassId: string): Promise<MicroCredential> {
  const definition = await getMicroCredential(ctx, badgeClassId);
  if (!definition) throw new NotFoundError("That badge is not a micro-credential.");
  return definition;
}

/**
 * True in SQL when the learner holds, on any of their verified emails, a live award of every
 * prerequisite: checked inside the statement that hands the work in, so it is enforced at the
 * moment of submitting, not just shown.
 */
function holdsPrerequisites(badgeClassId: string, learnerId: string, now: number): SQL {
  return sql`not exists (
    select 1 from ${microCredentialPrerequisites} p
    where p.badge_class_id = ${badgeClassId} and not exists (
      select 1 from ${awards} a join ${emails} e on e.address = a.recipient_email
      where e.user_id = ${learnerId} and a.badge_class_id = p.required_badge_class_id
        and a.revoked_at is null and (a.expires_at is null or a.expires_at > ${now})))`;
}

/** The prerequisites the learner lacks, for the error that explains a refusal. */
export async function missingPrerequisites(ctx: Pick<AppContext, "db" | "now">, badgeClassId: string, learnerId: string) {
  const now = ctx.now();
  return ctx.db
    .select({ id: badgeClasses.id, name: badgeClasses.name })
    .from(microCredentialPrerequisites)
    .innerJoin(badgeClasses, eq(badgeClasses.id, microCredentialPrerequisites.requiredBadgeClassId))
    .where(
      and(
        eq(microCredentialPrerequisites.badgeClassId, badgeClassId),
        sql`not exists (select 1 from ${awards} a join ${emails} e on e.address = a.recipient_email
          where e.user_id = ${learnerId} and a.badge_class_id = ${badgeClasses.id}
            and a.revoked_at is null and (a.expires_at is null or a.expires_at > ${now}))`,
      ),
    )
    .all();
}

/**
 * Refuses unless every prerequisite is met; returns the SQL guards of the pathway steps it
 * requires, for the statement that hands the work in (a step met now must still be met then).
 */
async function requirePrerequisites(ctx: Pick<AppContext, "db" | "now">, badgeClassId: string, learnerId: string): Promise<SQL[]> {
  const [missing, steps] = await Promise.all([
    missingPrerequisites(ctx, badgeClassId, learnerId),
    listStepPrerequisites(ctx, badgeClassId).then((ids) => stepStandings(ctx, learnerId, ids, ctx.now())),
  ]);
  const missingSteps = steps
    .filter((s) => !s.met)
    .map(({ nodeId, name, pathwayId, pathwayName }) => ({ stepId: nodeId, name, pathwayId, pathwayName }));
  if (missing.length || missingSteps.length) throw new PrerequisitesMissingError(missing, missingSteps);
  return steps.map((s) => s.guard).filter((g): g is SQL => g !== null);
}

export async function getSubmission(ctx: Pick<AppContext, "db">, id: string): Promise<Submission | null> {
  return (await ctx.db.query.submissions.findFirst({ where: eq(submissions.id, id) })) ?? null;
}

export type Viewer = "learner" | "assessor";

/** Who the user is to the submission: its learner, one of the issuer's reviewers, or nobody (null). */
export async function viewerOf(ctx: Pick<AppContext, "db">, user: User, submission: Submission): Promise<Viewer | null> {
  if (submission.learnerId === user.id) return "learner";
  return roleAllows(await getRole(ctx, submission.issuerId, user.id), "review") ? "assessor" : null;
}

/** The submission if the user may read it; strangers learn nothing of it, not even that it exists. */
export async function requireVisibleSubmission(ctx: Pick<AppContext, "db">, user: User, id: string) {
  const submission = await getSubmission(ctx, id);
  const viewer = submission && (await viewerOf(ctx, user, submission));
  if (!submission || !viewer) throw new NotFoundError("No submission with that id.");
  return { submission, viewer };
}

async function requireOwnSubmission(ctx: Pick<AppContext, "db">, user: User, id: string): Promise<Submission> {
  const submission = await getSubmission(ctx, id);
  if (!submission || submission.learnerId !== user.id) throw new NotFoundError("No submission with that id.");
  return submission;
}

const STATE_WORDS: Record<SubmissionState, string> = {
  draft: "is still a draft",
  submitted: "is already submitted",
  in_review: "is being reviewed",
  returned: "was returned for revision",
  resubmitted: "is already resubmitted",
  awarded: "was awarded",
  not_awarded: "was not awarded",
  withdrawn: "was withdrawn",
};

/** The typed refusal for a transition the current state does not allow. */
export function stateError(submission: Pick<Submission, "state">, action: string): SubmissionStateError {
  return new SubmissionStateError(`You cannot ${action}: this submission ${STATE_WORDS[submission.state]}.`, submission.state);
}

/** Re-reads after a lost race or refused change and explains it. */
async function refusal(ctx: Pick<AppContext, "db">, id: string, action: string): Promise<never> {
  const current = await getSubmission(ctx, id);
  if (!current) throw new NotFoundError("No submission with that id.");
  throw stateError(current, action);
}

/** Starts a draft. One live submission per learner and micro-credential (the unique index decides). */
export async function startSubmission(ctx: AppContext, user: User, badgeClassId: string): Promise<Submission> {
  const badgeClass = await requireBadgeClass(ctx, badgeClassId);
  await requireMicroCredential(ctx, badgeClassId);
  await requirePrerequisites(ctx, badgeClassId, user.id);
  const now = ctx.now();
  const id = newId();
  const eventId = newId();
  const [inserted] = await ctx.db.batch([
    ctx.db
      .insert(submissions)
      .values({
        id,
        badgeClassId,
        issuerId: badgeClass.issuerId,
        learnerId: user.id,
        state: "draft",
        answers: {},
        lastEventId: eventId,
        createdAt: new Date(now),
        updatedAt: new Date(now),
      })
      .onConflictDoNothing()
      .returning(),
    insertWhere(
      ctx.db,
      submissionEvents,
      { id: eventId, submissionId: id, state: "draft", actorId: user.id, createdAt: new Date(now) },
      sql`exists (select 1 from ${submissions} where ${submissions.id} = ${id})`,
    ),
  ]);
  if (inserted[0]) return inserted[0];
  const open = await ctx.db.query.submissions.findFirst({
    where: and(
      eq(submissions.learnerId, user.id),
      eq(submissions.badgeClassId, badgeClassId),
      inArray(submissions.state, [...UNDECIDED, "awarded"]),
    ),
  });
  throw new SubmissionStateError(
    open?.state === "awarded"
      ? "You already earned this micro-credential."
      : "You already have a submission for this micro-credential: continue that one.",
    open?.state ?? "draft",
  );
}

/** Saves answers as the learner goes; only while the work is theirs to edit (a draft, or returned). */
export async function saveSubmissionDraft(
  ctx: AppContext,
  user: User,
  id: string,
  input: { answers: AnswerInput[]; publicNarrative?: string | null },
): Promise<Submission> {
  const submission = await requireOwnSubmission(ctx, user, id);
  if (!EDITABLE.includes(submission.state)) throw stateError(submission, "edit it");
  const definition = await requireMicroCredential(ctx, submission.badgeClassId);
  const problems = new Problems();
  const answers = mergeAnswers(problems, definition.parts, submission.answers, input.answers);
  const publicNarrative = input.publicNarrative === undefined ? submission.publicNarrative : input.publicNarrative?.trim() || null;
  if (publicNarrative && publicNarrative.length > 5000)
    problems.add("publicNarrative", "The public summary can be at most 5000 characters.");
  problems.throwIfAny();
  const [updated] = await ctx.db
    .update(submissions)
    .set({ answers, publicNarrative, updatedAt: new Date(ctx.now()) })
    .where(and(eq(submissions.id, id), eq(submissions.learnerId, user.id), inArray(submissions.state, [...EDITABLE])))
    .returning();
  return updated ?? refusal(ctx, id, "edit it");
}

/** The emails telling the issuer's reviewers that work waits, written only if the hand-in happened. */
async function reviewerEmails(ctx: AppContext, submission: Submission, round: number, happened: SQL): Promise<OutboxWrite[]> {
  const [badgeClass, reviewers] = await Promise.all([
    requireBadgeClass(ctx, submission.badgeClassId),
    ctx.db
      .select({ address: emails.address })
      .from(issuerMembers)
      .innerJoin(users, and(eq(users.id, issuerMembers.userId), eq(users.status, "active")))
      .innerJoin(emails, and(eq(emails.userId, issuerMembers.userId), eq(emails.isPrimary, true)))
      .where(and(eq(issuerMembers.issuerId, submission.issuerId), inArray(issuerMembers.role, ["owner", "assessor"])))
      .all(),
  ]);
  const reviewUrl = `${ctx.config.appUrl}/issuers/${submission.issuerId}/reviews`;
  return Promise.all(
    reviewers.map((r) =>
      emailIntent(ctx, submissionReceivedEmail(r.address, { badgeName: badgeClass.name, round, reviewUrl }), ctx.now(), {
        key: `submission.submitted:${submission.id}:${round}:${r.address}`,
        when: happened,
      }),
    ),
  );
}

/** Hands the work in (draft → submitted, or returned → resubmitted with a note), keeping this round's answers. */
async function handIn(ctx: AppContext, user: User, id: string, kind: "submit" | "resubmit", note: string | null): Promise<Submission> {
  const submission = await requireOwnSubmission(ctx, user, id);
  const from: SubmissionState = kind === "submit" ? "draft" : "returned";
  const action = kind === "submit" ? "submit it" : "resubmit it";
  if (submission.state !== from) throw stateError(submission, action);
  const definition = await requireMicroCredential(ctx, submission.badgeClassId);
  const problems = new Problems();
  checkComplete(problems, definition.parts, submission.answers);
  if (note && note.length > 5000) problems.add("note", "The note can be at most 5000 characters.");
  problems.throwIfAny();
  const stepGuards = await requirePrerequisites(ctx, submission.badgeClassId, user.id);
  const now = ctx.now();
  const round = submission.round + 1;
  // Emails are sealed before the batch, so they test for the change's id chosen here.
  const eventId = newId();
  const happened = sql`exists (select 1 from ${submissions} where ${submissions.id} = ${id} and ${submissions.lastEventId} = ${eventId})`;
  const emailWrites = [
    ...(await reviewerEmails(ctx, submission, round, happened)),
    submissionEventIntent(ctx.db, SUBMISSION_SUBMITTED, { submissionId: id, eventId }, now, happened),
  ];
  const updated = await transition(ctx, {
    submissionId: id,
    from: [from],
    to: kind === "submit" ? "submitted" : "resubmitted",
    actorId: user.id,
    // The answers must be the ones checked: a save between the check and now would change them.
    guard: and(
      eq(submissions.learnerId, user.id),
      eq(submissions.round, submission.round),
      eq(submissions.updatedAt, submission.updatedAt),
      holdsPrerequisites(submission.badgeClassId, user.id, now),
      ...stepGuards,
    ),
    set: { round, note, submittedAt: new Date(now), claimedBy: null, claimedUntil: null },
    audit: { action: `submission.${kind === "submit" ? "submitted" : "resubmitted"}`, data: { round } },
    eventId,
    after: (happened) => [
      insertWhere(
        ctx.db,
        submissionAttempts,
        { submissionId: id, round, answers: submission.answers, note, submittedAt: new Date(now) },
        happened,
      ),
      ...emailWrites.map((w) => w.statement),
    ],
  });
  if (!updated) {
    const current = await getSubmission(ctx, id);
    if (current?.state === from) {
      await requirePrerequisites(ctx, submission.badgeClassId, user.id);
      throw ValidationError.field("answers", "Your answers changed while submitting. Check them and submit again.");
    }
    return refusal(ctx, id, action);
  }
  afterCommit(
    ctx,
    emailWrites.map((w) => w.id),
  );
  return updated;
}

export const submitSubmission = (ctx: AppContext, user: User, id: string) => handIn(ctx, user, id, "submit", null);

export function resubmitSubmission(ctx: AppContext, user: User, id: string, note: string | null | undefined) {
  return handIn(ctx, user, id, "resubmit", note?.trim() || null);
}

/** The learner takes the work back before a decision. */
export async function withdrawSubmission(ctx: AppContext, user: User, id: string): Promise<Submission> {
  const submission = await requireOwnSubmission(ctx, user, id);
  if (!UNDECIDED.includes(submission.state)) throw stateError(submission, "withdraw it");
  const updated = await transition(ctx, {
    submissionId: id,
    from: UNDECIDED,
    to: "withdrawn",
    actorId: user.id,
    guard: eq(submissions.learnerId, user.id),
    set: { claimedBy: null, claimedUntil: null },
    audit: { action: "submission.withdrawn" },
  });
  return updated ?? refusal(ctx, id, "withdraw it");
}

/** The learner's submissions, most recently changed first. */
export function listMySubmissions(ctx: Pick<AppContext, "db">, user: User, options: { first: number; before?: Date | null }) {
  return ctx.db
    .select()
    .from(submissions)
    .where(and(eq(submissions.learnerId, user.id), options.before ? lt(submissions.updatedAt, options.before) : undefined))
    .orderBy(desc(submissions.updatedAt), desc(submissions.id))
    .limit(options.first)
    .all();
}

export function listSubmissionEvents(ctx: Pick<AppContext, "db">, submissionId: string) {
  return ctx.db
    .select()
    .from(submissionEvents)
    .where(eq(submissionEvents.submissionId, submissionId))
    .orderBy(submissionEvents.createdAt)
    .all();
}

export function listAttempts(ctx: Pick<AppContext, "db">, submissionId: string) {
  return ctx.db
    .select()
    .from(submissionAttempts)
    .where(eq(submissionAttempts.submissionId, submissionId))
    .orderBy(submissionAttempts.round)
    .all();
}
