import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { emails, users } from "../accounts/accounts.table";
import { auditInsertWhere } from "../audit/audit";
import { awardInsertWhere } from "../badges/awards.service";
import { awards } from "../badges/awards.table";
import { getBadgeClasses } from "../badges/badge-classes.service";
import type { BadgeClass } from "../badges/badge-classes.table";
import type { AppContext } from "../context";
import { insertWhere, rowExists } from "../db/conditional";
import { inSlices } from "../db/limits";
import { newId } from "../lib/ids";
import { afterCommit } from "../outbox/enqueue";
import type { OutboxWrite } from "../outbox/intents";
import { pathwayCompletedIntent } from "./pathway-events";
import { loadTree } from "./pathways.service";
import { type Pathway, pathwayCompletions, pathwaySubscriptions, pathways } from "./pathways.table";
import { heldByUsers, holdsLive } from "./progress.service";
import { allNodes, badgeClassesOf, evaluate, type NodeProgress, type RequirementNode } from "./requirements";

// Completions: when a subscriber meets a node's requirement (the pathway's, or a step's with a
// completion badge), it is recorded once and its completion badge awarded once. The database
// decides: the completion is inserted only while the badges that met it are still live and
// the learner's, and only while the pathway is published at the version that was judged; a
// unique index lets exactly one of racing evaluations write it, and only that one's award follows.

/** Subscribers judged per batch; each completion with a badge is six statements. */
const USERS_PER_BATCH = 15;
const SUBSCRIBERS_PER_READ = 300;

/** The nodes whose completion is recorded: the pathway itself, and each step with a completion badge. */
function recordedNodes(tree: RequirementNode): RequirementNode[] {
  return allNodes(tree).filter((n) => n.stepId === null || n.completionBadgeClassId !== null);
}

/**
 * Judges the completions of a published pathway's subscribers (all, or these), recording and
 * awarding what they now meet and have not been given. Safe to run any number of times, at once.
 */
export async function evaluateCompletions(ctx: AppContext, pathwayId: string, onlyUsers?: string[]): Promise<void> {
  const pathway = await ctx.db.query.pathways.findFirst({ where: eq(pathways.id, pathwayId) });
  if (pathway?.state !== "published") return;
  const tree = await loadTree(ctx, pathway);
  const nodes = recordedNodes(tree);
  const badgeIds = [...new Set(nodes.map((n) => n.completionBadgeClassId).filter((id): id is string => id !== null))];
  const completionBadges = new Map((await getBadgeClasses(ctx, badgeIds)).map((b) => [b.id, b]));
  const judge = (userIds: string[]) => judgeUsers(ctx, pathway, tree, nodes, completionBadges, userIds);
  if (onlyUsers) {
    const subscribed = await inSlices(onlyUsers, (slice) =>
      ctx.db
        .select({ userId: pathwaySubscriptions.userId })
        .from(pathwaySubscriptions)
        .where(and(eq(pathwaySubscriptions.pathwayId, pathwayId), inArray(pathwaySubscriptions.userId, slice)))
        .all(),
    );
    await judge(subscribed.map((s) => s.userId));
    return;
  }
  for (let after = ""; ; ) {
    const page = await ctx.db
      .select({ userId: pathwaySubscriptions.userId })
      .from(pathwaySubscriptions)
      .where(and(eq(pathwaySubscriptions.pathwayId, pathwayId), sql`${pathwaySubscriptions.userId} > ${after}`))
      .orderBy(pathwaySubscriptions.userId)
      .limit(SUBSCRIBERS_PER_READ)
      .all();
    await judge(page.map((s) => s.userId));
    if (page.length < SUBSCRIBERS_PER_READ) return;
    after = page.at(-1)!.userId;
  }
}

async function judgeUsers(
  ctx: AppContext,
  pathway: Pathway,
  tree: RequirementNode,
  nodes: RequirementNode[],
  completionBadges: Map<string, BadgeClass>,
  userIds: string[],
): Promise<void> {
  const now = ctx.now();
  const treeBadges = badgeClassesOf(tree);
  for (let i = 0; i < userIds.length; i += USERS_PER_BATCH) {
    const slice = userIds.slice(i, i + USERS_PER_BATCH);
    const [held, recorded, people] = await Promise.all([
      heldByUsers(ctx, slice, treeBadges, now),
      ctx.db
        .select()
        .from(pathwayCompletions)
        .where(and(eq(pathwayCompletions.pathwayId, pathway.id), inArray(pathwayCompletions.userId, slice)))
        .all(),
      ctx.db
        .select({ id: users.id, firstName: users.firstName, lastName: users.lastName, email: emails.address })
        .from(users)
        .innerJoin(emails, and(eq(emails.userId, users.id), eq(emails.isPrimary, true)))
        .where(and(inArray(users.id, slice), eq(users.status, "active")))
        .all(),
    ]);
    const statements: BatchItem<"sqlite">[] = [];
    const notifications: string[] = [];
    for (const person of people) {
      const progress = new Map(allNodes(evaluate(tree, held.get(person.id) ?? new Set<string>())).map((p) => [p.node.id, p] as const));
      for (const node of nodes) {
        const p = progress.get(node.id)!;
        if (!p.met) continue;
        const earlier = recorded.find((c) => c.userId === person.id && c.nodeId === node.id);
        if (earlier?.awardId) continue;
        const badgeClass = node.completionBadgeClassId ? completionBadges.get(node.completionBadgeClassId) : undefined;
        if (earlier && !badgeClass) continue;
        const written = await completionStatements(ctx, pathway, p, person, badgeClass ?? null, earlier?.id ?? null, now);
        statements.push(...written.statements);
        notifications.push(...written.notificationIds);
      }
    }
    const [first, ...rest] = statements;
    if (!first) continue;
    await ctx.db.batch([first, ...rest]);
    afterCommit(ctx, notifications);
  }
}

/**
 * A new completion (guarded) and, if the node has a completion badge, its award, or for a
 * completion recorded before the node had a badge, that award alone.
 */
async function completionStatements(
  ctx: AppContext,
  pathway: Pathway,
  progress: NodeProgress,
  person: { id: string; firstName: string; lastName: string; email: string },
  badgeClass: BadgeClass | null,
  earlierId: string | null,
  now: number,
): Promise<{ statements: BatchItem<"sqlite">[]; notificationIds: string[] }> {
  const node = progress.node;
  const completionId = earlierId ?? newId();
  const statements: BatchItem<"sqlite">[] = [];
  let completed: OutboxWrite | null = null;
  const stillJudgedRight = and(
    rowExists(ctx.db, pathways, and(eq(pathways.id, pathway.id), eq(pathways.state, "published"), eq(pathways.version, pathway.version))),
    rowExists(
      ctx.db,
      pathwaySubscriptions,
      and(eq(pathwaySubscriptions.pathwayId, pathway.id), eq(pathwaySubscriptions.userId, person.id)),
    ),
    holdsLive(person.id, progress.witnesses, now),
  )!;
  if (!earlierId) {
    statements.push(
      insertWhere(
        ctx.db,
        pathwayCompletions,
        { id: completionId, pathwayId: pathway.id, nodeId: node.id, userId: person.id, awardId: null, completedAt: new Date(now) },
        stillJudgedRight,
      ).onConflictDoNothing(),
    );
    if (node.stepId === null) {
      completed = pathwayCompletedIntent(
        ctx.db,
        completionId,
        now,
        rowExists(ctx.db, pathwayCompletions, eq(pathwayCompletions.id, completionId)),
      );
      statements.push(completed.statement);
    }
  }
  // Only the evaluation whose row is the recorded one (and still has no award) goes on.
  const mine = rowExists(ctx.db, pathwayCompletions, and(eq(pathwayCompletions.id, completionId), isNull(pathwayCompletions.awardId)));
  let notificationId: string | null = null;
  let awardId: string | null = null;
  if (badgeClass) {
    const award = await awardInsertWhere(
      ctx,
      badgeClass,
      {
        email: person.email,
        recipientName: `${person.firstName} ${person.lastName}`.trim() || null,
        narrative: node.stepId
          ? `Completed the step "${node.name}" of the pathway "${pathway.name}".`
          : `Completed the pathway "${pathway.name}".`,
        evidence: [],
        results: [],
      },
      pathway.createdBy,
      `pathway:${pathway.id}:${node.id}:${person.id}`,
      now,
    );
    statements.push(...award.statements(earlierId ? and(mine, stillJudgedRight)! : mine));
    statements.push(
      ctx.db
        .update(pathwayCompletions)
        .set({ awardId: award.awardId })
        .where(
          and(
            eq(pathwayCompletions.id, completionId),
            isNull(pathwayCompletions.awardId),
            rowExists(ctx.db, awards, eq(awards.id, award.awardId)),
          ),
        ),
    );
    notificationId = award.notificationId;
    awardId = award.awardId;
  }
  statements.push(
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: null,
        action: earlierId ? "pathway.completion-awarded" : "pathway.completed",
        subjectType: "pathway",
        subjectId: pathway.id,
        data: { nodeId: node.id, userId: person.id, awardId },
        ip: null,
      },
      now,
      awardId
        ? rowExists(ctx.db, pathwayCompletions, and(eq(pathwayCompletions.id, completionId), eq(pathwayCompletions.awardId, awardId)))
        : rowExists(ctx.db, pathwayCompletions, and(eq(pathwayCompletions.id, completionId), isNull(pathwayCompletions.awardId))),
    ),
  );
  return { statements, notificationIds: [notificationId, completed?.id ?? null].filter((id): id is string => id !== null) };
}
