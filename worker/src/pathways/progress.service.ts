import { and, asc, count, eq, gt, inArray, isNull, or, type SQL, sql } from "drizzle-orm";
import { emails, type User, users } from "../accounts/accounts.table";
import { awards } from "../badges/awards.table";
import { type BadgeClass, badgeClasses } from "../badges/badge-classes.table";
import { type Issuer, issuers } from "../badges/issuers.table";
import type { AppContext } from "../context";
import { inSlices } from "../db/limits";
import { publicUrls } from "../lib/public-urls";
import { microCredentials } from "../microcredentials/micro-credentials.table";
import { loadTree } from "./pathways.service";
import {
  type Pathway,
  type PathwayStep,
  pathwayCompletions,
  pathwayInvitations,
  pathwayRequirements,
  pathwaySubscriptions,
  pathways,
} from "./pathways.table";
import { badgeClassesOf, buildTree, evaluate, type NodeProgress, type RequirementNode } from "./requirements";

// Progress is computed when it is read, from the badges the learner holds now: awarded to any
// of their verified emails, not revoked, not expired (ADR 023). Nothing is kept to go stale.

/** An award that counts now: not revoked, not expired. */
export const liveAward = (now: number): SQL =>
  and(isNull(awards.revokedAt), or(isNull(awards.expiresAt), gt(awards.expiresAt, new Date(now))))!;

/** True while the user holds, live, a badge of each of these classes, on any verified email: the guard of a decision made on progress. */
export function holdsLive(userId: string, badgeClassIds: string[], now: number): SQL {
  return sql`(select count(distinct ${awards.badgeClassId}) from ${awards} join ${emails} on ${emails.address} = ${awards.recipientEmail}
    where ${emails.userId} = ${userId} and ${liveAward(now)}
      and ${awards.badgeClassId} in (select value from json_each(${JSON.stringify(badgeClassIds)}))) = ${badgeClassIds.length}`;
}

/** One live award of each badge class the user holds (of `only`, when given): badge class id → award id. */
export async function heldBadges(ctx: Pick<AppContext, "db">, userId: string, now: number, only?: string[]): Promise<Map<string, string>> {
  const where = [eq(emails.userId, userId), liveAward(now)];
  if (only) {
    if (only.length === 0) return new Map();
    where.push(sql`${awards.badgeClassId} in (select value from json_each(${JSON.stringify(only)}))`);
  }
  const rows = await ctx.db
    .select({ badgeClassId: awards.badgeClassId, awardId: sql<string>`min(${awards.id})` })
    .from(awards)
    .innerJoin(emails, eq(emails.address, awards.recipientEmail))
    .where(and(...where))
    .groupBy(awards.badgeClassId)
    .all();
  return new Map(rows.map((r) => [r.badgeClassId, r.awardId]));
}

export interface Completion {
  nodeId: string;
  completedAt: Date;
  awardId: string | null;
}

export interface LearnerProgress {
  pathway: Pathway;
  tree: RequirementNode;
  root: NodeProgress;
  /** badge class id → the live award that counts for it. */
  held: Map<string, string>;
  completions: Map<string, Completion>;
  /** The required badge classes that are micro-credentials: earned by submitting evidence, started from their page. */
  microCredentials: Set<string>;
  subscribed: boolean;
  /** Set when the learner's relation to it is a pending invitation. */
  invited: boolean;
}

/** The learner's progress on one pathway (its page). */
export async function learnerProgress(
  ctx: Pick<AppContext, "db" | "now">,
  user: Pick<User, "id">,
  pathway: Pathway,
): Promise<LearnerProgress> {
  const now = ctx.now();
  const tree = await loadTree(ctx, pathway);
  const required = badgeClassesOf(tree);
  const [held, completionRows, subscription, invitation, micro] = await Promise.all([
    heldBadges(ctx, user.id, now, required),
    ctx.db
      .select()
      .from(pathwayCompletions)
      .where(and(eq(pathwayCompletions.pathwayId, pathway.id), eq(pathwayCompletions.userId, user.id)))
      .all(),
    ctx.db.query.pathwaySubscriptions.findFirst({
      where: and(eq(pathwaySubscriptions.pathwayId, pathway.id), eq(pathwaySubscriptions.userId, user.id)),
    }),
    ctx.db
      .select({ id: pathwayInvitations.id })
      .from(pathwayInvitations)
      .innerJoin(emails, eq(emails.address, pathwayInvitations.email))
      .where(and(eq(pathwayInvitations.pathwayId, pathway.id), eq(pathwayInvitations.state, "pending"), eq(emails.userId, user.id)))
      .get(),
    microCredentialsAmong(ctx, required),
  ]);
  return {
    pathway,
    tree,
    root: evaluate(tree, new Set(held.keys())),
    held,
    completions: new Map(completionRows.map((c) => [c.nodeId, c])),
    microCredentials: micro,
    subscribed: subscription !== undefined,
    invited: subscription === undefined && invitation !== undefined && pathway.state === "published",
  };
}

/** Where a learner learns how to earn a badge: a micro-credential's own page (to start it), else the badge's public page. */
export const earnUrl = (appUrl: string, b: { badgeClassId: string; microCredential: boolean }) =>
  b.microCredential ? `${appUrl}/micro-credentials/${encodeURIComponent(b.badgeClassId)}` : publicUrls(appUrl).badge(b.badgeClassId);

/** Which of these badge classes are micro-credentials. */
export async function microCredentialsAmong(ctx: Pick<AppContext, "db">, badgeClassIds: string[]): Promise<Set<string>> {
  if (badgeClassIds.length === 0) return new Set();
  const rows = await ctx.db
    .select({ id: microCredentials.badgeClassId })
    .from(microCredentials)
    .where(sql`${microCredentials.badgeClassId} in (select value from json_each(${JSON.stringify(badgeClassIds)}))`)
    .all();
  return new Set(rows.map((r) => r.id));
}

export type PathwayRelation = "subscribed" | "invited" | "opportunity";

export interface MyPathways {
  subscribed: LearnerProgress[];
  invited: LearnerProgress[];
  opportunities: LearnerProgress[];
  /** Read with the pathways, for the request's loaders. */
  issuers: Issuer[];
  badgeClasses: BadgeClass[];
}

const MAX_MY_PATHWAYS = 200;

type StepRow = Pick<
  PathwayStep,
  "id" | "parentId" | "position" | "name" | "description" | "junction" | "requiredCount" | "completionBadgeClassId"
>;

/**
 * My Pathways in three D1 queries: the badges I hold; the pathways I follow, am invited to (at
 * any of my verified emails) or hold a badge of (opportunities), each with its issuer, its
 * steps and my completions; then their requirements with their badge classes and issuers.
 */
export async function myPathways(ctx: Pick<AppContext, "db" | "now">, user: User): Promise<MyPathways> {
  const now = ctx.now();
  const held = await heldBadges(ctx, user.id, now);
  const heldJson = JSON.stringify([...held.keys()]);
  const subscribed = sql`exists (select 1 from pathway_subscriptions ms where ms.pathway_id = ${pathways.id} and ms.user_id = ${user.id})`;
  const invited = sql`exists (select 1 from pathway_invitations mi join emails me on me.address = mi.email
    where mi.pathway_id = ${pathways.id} and mi.state = 'pending' and me.user_id = ${user.id})`;
  const holdsOne = sql`exists (select 1 from pathway_requirements mr where mr.pathway_id = ${pathways.id}
    and mr.badge_class_id in (select value from json_each(${heldJson})))`;
  const rows = await ctx.db
    .select({
      pathway: pathways,
      issuer: issuers,
      relation: sql<PathwayRelation>`case when ${subscribed} then 'subscribed' when ${invited} then 'invited' else 'opportunity' end`,
      steps: sql<string>`(select json_group_array(json_object('id', s.id, 'parentId', s.parent_id, 'position', s.position, 'name', s.name,
        'description', s.description, 'junction', s.junction, 'requiredCount', s.required_count, 'completionBadgeClassId', s.completion_badge_class_id))
        from pathway_steps s where s.pathway_id = ${pathways.id})`,
      completions: sql<string>`(select json_group_array(json_object('nodeId', c.node_id, 'completedAt', c.completed_at, 'awardId', c.award_id))
        from pathway_completions c where c.pathway_id = ${pathways.id} and c.user_id = ${user.id})`,
    })
    .from(pathways)
    .innerJoin(issuers, eq(issuers.id, pathways.issuerId))
    .where(or(and(sql`${pathways.state} <> 'draft'`, subscribed), and(eq(pathways.state, "published"), or(invited, holdsOne))))
    .orderBy(asc(pathways.name), asc(pathways.id))
    .limit(MAX_MY_PATHWAYS)
    .all();
  const ids = rows.map((r) => r.pathway.id);
  const requirements = ids.length
    ? await ctx.db
        .select({
          requirement: pathwayRequirements,
          badgeClass: badgeClasses,
          issuer: issuers,
          microCredential: sql<number>`exists (select 1 from ${microCredentials} where ${microCredentials.badgeClassId} = ${badgeClasses.id})`,
        })
        .from(pathwayRequirements)
        .innerJoin(badgeClasses, eq(badgeClasses.id, pathwayRequirements.badgeClassId))
        .innerJoin(issuers, eq(issuers.id, badgeClasses.issuerId))
        .where(sql`${pathwayRequirements.pathwayId} in (select value from json_each(${JSON.stringify(ids)}))`)
        .all()
    : [];
  const heldSet = new Set(held.keys());
  const micro = new Set(requirements.filter((r) => r.microCredential).map((r) => r.badgeClass.id));
  const result: MyPathways = { subscribed: [], invited: [], opportunities: [], issuers: [], badgeClasses: [] };
  for (const row of rows) {
    const steps = JSON.parse(row.steps) as StepRow[];
    const tree = buildTree(
      row.pathway,
      steps,
      requirements.filter((r) => r.requirement.pathwayId === row.pathway.id).map((r) => r.requirement),
    );
    const completions = (JSON.parse(row.completions) as { nodeId: string; completedAt: number; awardId: string | null }[]).map((c) => ({
      ...c,
      completedAt: new Date(c.completedAt),
    }));
    const progress: LearnerProgress = {
      pathway: row.pathway,
      tree,
      root: evaluate(tree, heldSet),
      held,
      completions: new Map(completions.map((c) => [c.nodeId, c])),
      microCredentials: micro,
      subscribed: row.relation === "subscribed",
      invited: row.relation === "invited",
    };
    ({ subscribed: result.subscribed, invited: result.invited, opportunity: result.opportunities })[row.relation].push(progress);
  }
  result.issuers = [...rows.map((r) => r.issuer), ...requirements.map((r) => r.issuer)];
  result.badgeClasses = requirements.map((r) => r.badgeClass);
  return result;
}

export interface SubscriberProgress {
  userId: string;
  name: string;
  email: string;
  subscribedAt: Date;
  root: NodeProgress;
  completedAt: Date | null;
  completionAwardId: string | null;
  /** Completed once, but a badge it needed was revoked or expired since: the issuer decides. */
  noLongerQualifies: boolean;
}

export interface SubscribersPage {
  items: SubscriberProgress[];
  total: number;
  completed: number;
  noLongerQualifying: number;
}

/** An issuer's view: subscribers, newest first, with their progress; how many completed. */
export async function subscribersProgress(
  ctx: Pick<AppContext, "db" | "now">,
  pathway: Pathway,
  page: { limit: number; offset: number },
): Promise<SubscribersPage> {
  const now = ctx.now();
  const tree = await loadTree(ctx, pathway);
  const [subscribers, [total], [completed]] = await Promise.all([
    ctx.db
      .select({
        userId: pathwaySubscriptions.userId,
        subscribedAt: pathwaySubscriptions.createdAt,
        firstName: users.firstName,
        lastName: users.lastName,
        email: emails.address,
        completedAt: pathwayCompletions.completedAt,
        awardId: pathwayCompletions.awardId,
      })
      .from(pathwaySubscriptions)
      .innerJoin(users, eq(users.id, pathwaySubscriptions.userId))
      .leftJoin(emails, and(eq(emails.userId, users.id), eq(emails.isPrimary, true)))
      .leftJoin(
        pathwayCompletions,
        and(
          eq(pathwayCompletions.pathwayId, pathway.id),
          eq(pathwayCompletions.nodeId, pathway.id),
          eq(pathwayCompletions.userId, pathwaySubscriptions.userId),
        ),
      )
      .where(eq(pathwaySubscriptions.pathwayId, pathway.id))
      .orderBy(sql`${pathwaySubscriptions.createdAt} desc`, asc(pathwaySubscriptions.userId))
      .limit(Math.min(Math.max(page.limit, 1), 100))
      .offset(Math.max(page.offset, 0))
      .all(),
    ctx.db.select({ n: count() }).from(pathwaySubscriptions).where(eq(pathwaySubscriptions.pathwayId, pathway.id)).all(),
    ctx.db
      .select({ n: count() })
      .from(pathwayCompletions)
      .innerJoin(
        pathwaySubscriptions,
        and(eq(pathwaySubscriptions.pathwayId, pathwayCompletions.pathwayId), eq(pathwaySubscriptions.userId, pathwayCompletions.userId)),
      )
      .where(and(eq(pathwayCompletions.pathwayId, pathway.id), eq(pathwayCompletions.nodeId, pathway.id)))
      .all(),
  ]);
  const heldBy = await heldByUsers(
    ctx,
    subscribers.map((s) => s.userId),
    badgeClassesOf(tree),
    now,
  );
  const items = subscribers.map((s) => {
    const root = evaluate(tree, heldBy.get(s.userId) ?? new Set());
    return {
      userId: s.userId,
      name: `${s.firstName} ${s.lastName}`.trim(),
      email: s.email ?? "",
      subscribedAt: s.subscribedAt,
      root,
      completedAt: s.completedAt,
      completionAwardId: s.awardId,
      noLongerQualifies: s.completedAt !== null && !root.met,
    };
  });
  return {
    items,
    total: total?.n ?? 0,
    completed: completed?.n ?? 0,
    noLongerQualifying: items.filter((i) => i.noLongerQualifies).length,
  };
}

/** The live badge classes (of `badgeClassIds`) each of these users holds. */
export async function heldByUsers(
  ctx: Pick<AppContext, "db">,
  userIds: string[],
  badgeClassIds: string[],
  now: number,
): Promise<Map<string, Set<string>>> {
  const held = new Map<string, Set<string>>();
  if (badgeClassIds.length === 0) return held;
  const rows = await inSlices(userIds, (slice) =>
    ctx.db
      .selectDistinct({ userId: emails.userId, badgeClassId: awards.badgeClassId })
      .from(awards)
      .innerJoin(emails, eq(emails.address, awards.recipientEmail))
      .where(
        and(
          inArray(emails.userId, slice),
          liveAward(now),
          sql`${awards.badgeClassId} in (select value from json_each(${JSON.stringify(badgeClassIds)}))`,
        ),
      )
      .all(),
  );
  for (const r of rows) held.set(r.userId, (held.get(r.userId) ?? new Set()).add(r.badgeClassId));
  return held;
}

export interface StepStanding {
  /** The step's id, or a pathway's for the whole pathway. */
  nodeId: string;
  name: string;
  pathwayId: string | null;
  pathwayName: string | null;
  met: boolean;
  /** For a met step: true in SQL while the badges that meet it are still held. */
  guard: SQL | null;
}

/**
 * Whether the user meets each of these steps (or whole pathways) now, for another domain's
 * rule (a micro-credential's prerequisite): with the SQL guard its statement checks, so the
 * decision holds at the moment it is written. A step that no longer exists is not met.
 */
export async function stepStandings(ctx: Pick<AppContext, "db">, userId: string, nodeIds: string[], now: number): Promise<StepStanding[]> {
  if (nodeIds.length === 0) return [];
  const list = JSON.stringify([...new Set(nodeIds)]);
  const owners = await ctx.db
    .select()
    .from(pathways)
    .where(
      sql`${pathways.id} in (select value from json_each(${list}))
        or ${pathways.id} in (select pathway_id from pathway_steps where id in (select value from json_each(${list})))`,
    )
    .all();
  const nodes = new Map<string, { pathway: Pathway; progress: NodeProgress }>();
  for (const pathway of owners) {
    const tree = await loadTree(ctx, pathway);
    const held = await heldBadges(ctx, userId, now, badgeClassesOf(tree));
    const walk = (p: NodeProgress) => {
      nodes.set(p.node.id, { pathway, progress: p });
      p.children.forEach(walk);
    };
    walk(evaluate(tree, new Set(held.keys())));
  }
  return nodeIds.map((nodeId) => {
    const found = nodes.get(nodeId);
    if (!found) return { nodeId, name: "a pathway step that was removed", pathwayId: null, pathwayName: null, met: false, guard: null };
    const { pathway, progress } = found;
    return {
      nodeId,
      name: progress.node.name,
      pathwayId: pathway.id,
      pathwayName: pathway.name,
      met: progress.met,
      guard: progress.met ? holdsLive(userId, progress.witnesses, now) : null,
    };
  });
}
