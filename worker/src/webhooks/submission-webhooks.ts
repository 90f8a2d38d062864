import { and, eq } from "drizzle-orm";
import { emails, users } from "../accounts/accounts.table";
import { badgeClasses } from "../badges/badge-classes.table";
import type { AppContext } from "../context";
import { microCredentials } from "../microcredentials/micro-credentials.table";
import type { SubmissionEventPayload } from "../microcredentials/submission-events";
import { submissionEvents, submissions } from "../microcredentials/submissions.table";
import type { OutboxEvent } from "../outbox/deliver";
import { fanOut } from "./deliveries.service";

/**
 * The outbox handler that turns a hand-in or a decision into webhook deliveries. The state is
 * the one of the event row (what happened then), not the submission's now. Under blind review
 * the learner is not named: assessors must not learn who it is from an integration either.
 */
export const submissionWebhooks =
  (type: "submission.submitted" | "submission.decided") =>
  async (ctx: AppContext, event: OutboxEvent): Promise<void> => {
    const { submissionId, eventId } = (event.payload ?? {}) as Partial<SubmissionEventPayload>;
    if (typeof submissionId !== "string" || typeof eventId !== "string")
      throw new Error(`${event.kind} event ${event.id} names no submission`);
    const row = await ctx.db
      .select({
        submission: submissions,
        state: submissionEvents.state,
        at: submissionEvents.createdAt,
        badgeClassName: badgeClasses.name,
        blind: microCredentials.blindReview,
        firstName: users.firstName,
        lastName: users.lastName,
        email: emails.address,
      })
      .from(submissionEvents)
      .innerJoin(submissions, eq(submissions.id, submissionEvents.submissionId))
      .innerJoin(badgeClasses, eq(badgeClasses.id, submissions.badgeClassId))
      .leftJoin(microCredentials, eq(microCredentials.badgeClassId, submissions.badgeClassId))
      .innerJoin(users, eq(users.id, submissions.learnerId))
      .leftJoin(emails, and(eq(emails.userId, submissions.learnerId), eq(emails.isPrimary, true)))
      .where(and(eq(submissionEvents.id, eventId), eq(submissionEvents.submissionId, submissionId)))
      .get();
    if (!row) return;
    const { submission } = row;
    const learner = row.blind ? null : { id: submission.learnerId, name: `${row.firstName} ${row.lastName}`.trim(), email: row.email };
    await fanOut(ctx, {
      issuerId: submission.issuerId,
      type,
      key: `${type}:${submissionId}:${eventId}`,
      occurredAt: row.at,
      data: {
        submissionId,
        issuerId: submission.issuerId,
        badgeClassId: submission.badgeClassId,
        badgeClassName: row.badgeClassName,
        round: submission.round,
        state: row.state,
        ...(type === "submission.decided" ? { decision: row.state, awardId: row.state === "awarded" ? submission.awardId : null } : {}),
        blindReview: Boolean(row.blind),
        learner,
      },
    });
  };
