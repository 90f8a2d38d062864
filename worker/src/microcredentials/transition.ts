import { and, eq, inArray, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { type AuditEntry, auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { insertWhere, rowExists } from "../db/conditional";
import { newId } from "../lib/ids";
import { type Submission, type SubmissionState, submissionEvents, submissions } from "./submissions.table";

export interface TransitionPlan {
  submissionId: string;
  from: readonly SubmissionState[];
  to: SubmissionState;
  actorId: string;
  /** Further conditions the statement checks (the learner's own, the claim, prerequisites). */
  guard?: SQL;
  set?: Partial<typeof submissions.$inferInsert>;
  /** The id the change stamps; given when statements built beforehand (sealed emails) must test for it. */
  eventId?: string;
  audit: Omit<AuditEntry, "actorUserId" | "subjectType" | "subjectId" | "ip">;
  /** Statements to run before the change under its own guard (rows the change must refer to). */
  before?: (guard: SQL) => BatchItem<"sqlite">[];
  /** Statements to run after the change, only if it happened. */
  after?: (happened: SQL, eventId: string) => BatchItem<"sqlite">[];
}

/**
 * One state change as one D1 batch: the conditional UPDATE decides (its row count is the
 * answer to every race), and it stamps a fresh `last_event_id` that the history row, the
 * audit row and whatever else follows test for, so they exist only if this change happened.
 */
export async function transition(ctx: Pick<AppContext, "db" | "now" | "ip">, plan: TransitionPlan): Promise<Submission | null> {
  const now = ctx.now();
  const eventId = plan.eventId ?? newId();
  const guard = and(eq(submissions.id, plan.submissionId), inArray(submissions.state, [...plan.from]), plan.guard)!;
  const happened = rowExists(ctx.db, submissions, and(eq(submissions.id, plan.submissionId), eq(submissions.lastEventId, eventId)));
  const before = plan.before?.(rowExists(ctx.db, submissions, guard)) ?? [];
  const update = ctx.db
    .update(submissions)
    .set({ ...plan.set, state: plan.to, lastEventId: eventId, updatedAt: new Date(now) })
    .where(guard)
    .returning();
  const results = await ctx.db.batch([
    ...(before as [BatchItem<"sqlite">]),
    update,
    insertWhere(
      ctx.db,
      submissionEvents,
      { id: eventId, submissionId: plan.submissionId, state: plan.to, actorId: plan.actorId, createdAt: new Date(now) },
      happened,
    ),
    auditInsertWhere(
      ctx.db,
      { ...plan.audit, actorUserId: plan.actorId, subjectType: "submission", subjectId: plan.submissionId, ip: ctx.ip },
      now,
      happened,
    ),
    ...(plan.after?.(happened, eventId) ?? []),
  ]);
  const updated = results[before.length] as Submission[];
  return updated[0] ?? null;
}
