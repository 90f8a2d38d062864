import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { User } from "../accounts/accounts.table";
import { auditInsert, auditInsertWhere } from "../audit/audit";
import { setCompletionRuleStatement } from "../badges/badge-classes.service";
import { badgeClasses, type CompletionRule } from "../badges/badge-classes.table";
import { getRole, requireIssuerRole } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { rowExists } from "../db/conditional";
import { purgeAfterCommit } from "../http/edge-cache";
import { checkText } from "../lib/checks";
import { NotFoundError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { uploadImage } from "../lib/images";
import { publicUrls } from "../lib/public-urls";
import { afterCommit } from "../outbox/enqueue";
import { pathwayEvaluateIntent } from "./pathway-events";
import { type Junction, type Pathway, type PathwayState, pathwayRequirements, pathwaySteps, pathways } from "./pathways.table";
import { allNodes, badgeClassesOf, buildTree, type RequirementNode, requiredItems } from "./requirements";

// Issuers define pathways: the pathway itself, its tree of steps, publishing and archiving.

export const MAX_STEPS = 100;
export const MAX_DEPTH = 5;
const MAX_BADGES_PER_NODE = 50;
const NOT_FOUND = "No pathway with that id, or you cannot see it.";

export async function getPathway(ctx: Pick<AppContext, "db">, id: string): Promise<Pathway | null> {
  return (await ctx.db.query.pathways.findFirst({ where: eq(pathways.id, id) })) ?? null;
}

/** Pathways by id, in no particular order; for the dataloader. */
export async function getPathways(ctx: Pick<AppContext, "db">, ids: readonly string[]): Promise<Pathway[]> {
  if (ids.length === 0) return [];
  return ctx.db
    .select()
    .from(pathways)
    .where(sql`${pathways.id} in (select value from json_each(${JSON.stringify([...new Set(ids)])}))`)
    .all();
}

/**
 * The pathway, if the user may see it: published and archived ones are open to anyone signed
 * in, a draft only to its issuer's members.
 */
export async function getVisiblePathway(ctx: Pick<AppContext, "db">, user: User, id: string): Promise<Pathway | null> {
  const pathway = await getPathway(ctx, id);
  if (!pathway) return null;
  if (pathway.state !== "draft") return pathway;
  return (await getRole(ctx, pathway.issuerId, user.id)) ? pathway : null;
}

export async function requireVisiblePathway(ctx: Pick<AppContext, "db">, user: User, id: string): Promise<Pathway> {
  const pathway = await getVisiblePathway(ctx, user, id);
  if (!pathway) throw new NotFoundError(NOT_FOUND);
  return pathway;
}

/** The pathway, if the user may edit it (its issuer's owners and editors). */
export async function requireEditablePathway(ctx: Pick<AppContext, "db">, user: User, id: string): Promise<Pathway> {
  const pathway = await getPathway(ctx, id);
  if (!pathway) throw new NotFoundError(NOT_FOUND);
  await requireIssuerRole(ctx, user, pathway.issuerId, "edit");
  return pathway;
}

export async function listIssuerPathways(ctx: Pick<AppContext, "db">, issuerId: string): Promise<Pathway[]> {
  return ctx.db.select().from(pathways).where(eq(pathways.issuerId, issuerId)).orderBy(asc(pathways.name), asc(pathways.id)).all();
}

/** The completion badge classes the pathway awards now (its own and its steps'). */
async function completionBadgesOf(ctx: Pick<AppContext, "db">, pathway: Pathway): Promise<string[]> {
  const steps = await ctx.db
    .select({ id: pathwaySteps.completionBadgeClassId })
    .from(pathwaySteps)
    .where(and(eq(pathwaySteps.pathwayId, pathway.id), sql`${pathwaySteps.completionBadgeClassId} is not null`))
    .all();
  return [...new Set([pathway.completionBadgeClassId, ...steps.map((s) => s.id)].filter((id): id is string => id !== null))];
}

/** The pathway's requirement tree, in two reads. */
export async function loadTree(ctx: Pick<AppContext, "db">, pathway: Pathway): Promise<RequirementNode> {
  const [steps, requirements] = await Promise.all([
    ctx.db.select().from(pathwaySteps).where(eq(pathwaySteps.pathwayId, pathway.id)).all(),
    ctx.db.select().from(pathwayRequirements).where(eq(pathwayRequirements.pathwayId, pathway.id)).all(),
  ]);
  return buildTree(pathway, steps, requirements);
}

export interface PathwayInput {
  name: string;
  description?: string | null;
  image?: File | null;
  completionBadgeClassId?: string | null;
}

/** A completion badge must be the pathway's issuer's own: only its members may award it. */
async function checkCompletionBadges(ctx: Pick<AppContext, "db">, problems: Problems, issuerId: string, fields: [string, string][]) {
  const ids = [...new Set(fields.map(([, id]) => id))];
  if (ids.length === 0) return;
  const own = new Set(
    (
      await ctx.db
        .select({ id: badgeClasses.id })
        .from(badgeClasses)
        .where(and(inArray(badgeClasses.id, ids), eq(badgeClasses.issuerId, issuerId)))
        .all()
    ).map((r) => r.id),
  );
  for (const [field, id] of fields) {
    if (!own.has(id)) problems.add(field, "A completion badge must be one of this issuer's own badge classes.");
  }
}

async function checkPathway(ctx: Pick<AppContext, "db">, issuerId: string, input: PathwayInput) {
  const problems = new Problems();
  const name = checkText(problems, "name", "the pathway's name", input.name, 200);
  const description = checkText(problems, "description", "a description", input.description, 5000, false);
  const completionBadgeClassId = input.completionBadgeClassId?.trim() || null;
  if (completionBadgeClassId) await checkCompletionBadges(ctx, problems, issuerId, [["completionBadgeClassId", completionBadgeClassId]]);
  problems.throwIfAny();
  return { name, description, completionBadgeClassId };
}

/** Owners and editors of an issuer create its pathways, as drafts. */
export async function createPathway(ctx: AppContext, user: User, issuerId: string, input: PathwayInput): Promise<Pathway> {
  await requireIssuerRole(ctx, user, issuerId, "edit");
  const values = await checkPathway(ctx, issuerId, input);
  const imageKey = input.image ? await uploadImage(ctx, "image", "pathways", input.image, { square: false }) : null;
  const now = ctx.now();
  const id = newId();
  const [created] = await ctx.db.batch([
    ctx.db
      .insert(pathways)
      .values({ id, issuerId, ...values, imageKey, createdBy: user.id, createdAt: new Date(now), updatedAt: new Date(now) })
      .returning(),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "pathway.created", subjectType: "pathway", subjectId: id, data: values, ip: ctx.ip },
      now,
    ),
  ]);
  return created[0]!;
}

/** Name, description, picture and completion badge; subscribers' progress follows at once. */
export async function updatePathway(ctx: AppContext, user: User, id: string, input: PathwayInput): Promise<Pathway> {
  const pathway = await requireEditablePathway(ctx, user, id);
  const values = await checkPathway(ctx, pathway.issuerId, input);
  const imageKey = input.image ? await uploadImage(ctx, "image", "pathways", input.image, { square: false }) : undefined;
  const now = ctx.now();
  const evaluate = pathwayEvaluateIntent(ctx.db, { pathwayId: id }, now, { key: `pathway.evaluate:${id}:${pathway.version + 1}` });
  const tree = await loadTree(ctx, { ...pathway, ...values });
  const rules = await completionRuleStatements(ctx, values, tree, await completionBadgesOf(ctx, pathway), now);
  const [updated] = await ctx.db.batch([
    ctx.db
      .update(pathways)
      .set({ ...values, ...(imageKey ? { imageKey } : {}), version: sql`${pathways.version} + 1`, updatedAt: new Date(now) })
      .where(eq(pathways.id, id))
      .returning(),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "pathway.updated", subjectType: "pathway", subjectId: id, data: values, ip: ctx.ip },
      now,
    ),
    ...rules.statements,
    ...(pathway.state === "published" ? [evaluate.statement] : []),
  ]);
  if (pathway.state === "published") afterCommit(ctx, [evaluate.id]);
  purgeBadgeDocuments(ctx, rules.changed);
  return updated[0]!;
}

export interface StepInput {
  /** An existing step's id keeps it (and what refers to it); without one the step is new. */
  id?: string | null;
  name: string;
  description?: string | null;
  junction: Junction;
  requiredCount?: number | null;
  badgeClassIds?: string[] | null;
  completionBadgeClassId?: string | null;
  steps?: StepInput[] | null;
}

export interface TreeInput {
  junction: Junction;
  requiredCount?: number | null;
  badgeClassIds?: string[] | null;
  steps?: StepInput[] | null;
}

interface CheckedStep {
  id: string;
  parentId: string;
  position: number;
  name: string;
  description: string;
  junction: Junction;
  requiredCount: number | null;
  completionBadgeClassId: string | null;
  badgeClassIds: string[];
}

/** The junction's count: null for "all of", 1..items for "at least N of". */
function checkJunction(problems: Problems, field: string, junction: Junction, requiredCount: number | null | undefined, items: number) {
  if (junction === "all") return null;
  if (!Number.isInteger(requiredCount) || (requiredCount ?? 0) < 1) {
    problems.add(`${field}requiredCount`, "Say how many of the items are needed: at least 1.");
    return null;
  }
  if (items > 0 && requiredCount! > items) {
    problems.add(`${field}requiredCount`, `Only ${items} items are listed here, so at most ${items} can be needed.`);
  }
  return requiredCount!;
}

function checkBadgeList(problems: Problems, field: string, raw: string[] | null | undefined): string[] {
  const ids = (raw ?? []).map((id) => id.trim()).filter(Boolean);
  if (new Set(ids).size !== ids.length) problems.add(`${field}badgeClassIds`, "A badge is listed twice here.");
  if (ids.length > MAX_BADGES_PER_NODE) problems.add(`${field}badgeClassIds`, `At most ${MAX_BADGES_PER_NODE} badges per step.`);
  return [...new Set(ids)];
}

/**
 * Replaces the pathway's tree (add, remove, reorder, nest, junctions) in one batch: what a
 * builder saves. Steps keep their ids when the input names them; steps left out are removed.
 * A published pathway stays valid: every step needs something to require. Its subscribers'
 * progress follows the edit at once, and completions are judged again right after.
 */
export async function setPathwayTree(ctx: AppContext, user: User, id: string, input: TreeInput): Promise<Pathway> {
  const pathway = await requireEditablePathway(ctx, user, id);
  const existing = new Set(
    (await ctx.db.select({ id: pathwaySteps.id }).from(pathwaySteps).where(eq(pathwaySteps.pathwayId, id)).all()).map((s) => s.id),
  );
  const problems = new Problems();
  const steps: CheckedStep[] = [];
  const completionFields: [string, string][] = [];
  const usedIds = new Set<string>();
  const walk = (list: StepInput[], parentId: string, prefix: string, depth: number) => {
    if (depth > MAX_DEPTH) {
      problems.add(prefix || "steps", `Steps nest at most ${MAX_DEPTH} levels deep.`);
      return;
    }
    list.forEach((raw, position) => {
      const field = `${prefix}steps.${position}.`;
      const given = raw.id?.trim() || null;
      if (given && (!existing.has(given) || usedIds.has(given))) problems.add(`${field}id`, "This step is not part of this pathway.");
      const stepId = given && existing.has(given) && !usedIds.has(given) ? given : newId();
      usedIds.add(stepId);
      const badgeClassIds = checkBadgeList(problems, field, raw.badgeClassIds);
      const children = raw.steps ?? [];
      const completionBadgeClassId = raw.completionBadgeClassId?.trim() || null;
      if (completionBadgeClassId) completionFields.push([`${field}completionBadgeClassId`, completionBadgeClassId]);
      steps.push({
        id: stepId,
        parentId,
        position,
        name: checkText(problems, `${field}name`, "the step's name", raw.name, 200),
        description: checkText(problems, `${field}description`, "a description", raw.description, 2000, false),
        junction: raw.junction,
        requiredCount: checkJunction(problems, field, raw.junction, raw.requiredCount, badgeClassIds.length + children.length),
        completionBadgeClassId,
        badgeClassIds,
      });
      walk(children, stepId, field, depth + 1);
    });
  };
  const rootBadges = checkBadgeList(problems, "", input.badgeClassIds);
  const rootCount = checkJunction(problems, "", input.junction, input.requiredCount, rootBadges.length + (input.steps ?? []).length);
  walk(input.steps ?? [], id, "", 1);
  if (steps.length > MAX_STEPS) problems.add("steps", `A pathway has at most ${MAX_STEPS} steps.`);
  const allBadges = [...new Set([...rootBadges, ...steps.flatMap((s) => s.badgeClassIds)])];
  if (allBadges.length) {
    const known = new Set(
      (await ctx.db.select({ id: badgeClasses.id }).from(badgeClasses).where(inArray(badgeClasses.id, allBadges)).all()).map((r) => r.id),
    );
    const unknownField = (prefix: string, ids: string[]) => {
      if (ids.some((b) => !known.has(b))) problems.add(`${prefix}badgeClassIds`, "One of these badges does not exist on Laurel.");
    };
    unknownField("", rootBadges);
    for (const [i, s] of steps.entries()) unknownField(stepField(steps, i), s.badgeClassIds);
  }
  await checkCompletionBadges(ctx, problems, pathway.issuerId, completionFields);
  problems.throwIfAny();
  const tree = buildTree({ ...pathway, junction: input.junction, requiredCount: rootCount }, steps, [
    ...rootBadges.map((badgeClassId, position) => ({ nodeId: id, badgeClassId, position })),
    ...steps.flatMap((s) => s.badgeClassIds.map((badgeClassId, position) => ({ nodeId: s.id, badgeClassId, position }))),
  ]);
  if (pathway.state === "published") requireCompleteTree(tree);
  return writeTree(ctx, user, pathway, { junction: input.junction, requiredCount: rootCount, rootBadges, steps }, tree);
}

/** The input field path of the i-th checked step, for messages about it. */
function stepField(steps: CheckedStep[], i: number): string {
  const path: number[] = [];
  let step: CheckedStep | undefined = steps[i];
  while (step) {
    path.unshift(step.position);
    const parentId: string = step.parentId;
    step = steps.find((s) => s.id === parentId);
  }
  return `${path.map((p) => `steps.${p}.`).join("")}`;
}

/** A learner can complete every node: each requires something and its junction fits. */
export function requireCompleteTree(tree: RequirementNode) {
  const problems = new Problems();
  for (const node of allNodes(tree)) {
    const items = node.badgeClassIds.length + node.children.length;
    const where = node.stepId ? `The step "${node.name}"` : "The pathway";
    if (items === 0)
      problems.add(node.stepId ? `step.${node.stepId}` : "steps", `${where} requires nothing yet: add a badge or a step to it.`);
    else if (requiredItems(node) < (node.requiredCount ?? 0)) {
      problems.add(node.stepId ? `step.${node.stepId}` : "requiredCount", `${where} needs more items than it lists.`);
    }
  }
  problems.throwIfAny();
}

async function writeTree(
  ctx: AppContext,
  user: User,
  pathway: Pathway,
  tree: { junction: Junction; requiredCount: number | null; rootBadges: string[]; steps: CheckedStep[] },
  built: RequirementNode,
): Promise<Pathway> {
  const now = ctx.now();
  const id = pathway.id;
  const keep = tree.steps.map((s) => s.id);
  const published = pathway.state === "published";
  const evaluate = pathwayEvaluateIntent(ctx.db, { pathwayId: id }, now, { key: `pathway.evaluate:${id}:${pathway.version + 1}` });
  const statements: BatchItem<"sqlite">[] = [
    ctx.db.delete(pathwayRequirements).where(eq(pathwayRequirements.pathwayId, id)),
    ctx.db
      .delete(pathwaySteps)
      .where(and(eq(pathwaySteps.pathwayId, id), sql`${pathwaySteps.id} not in (select value from json_each(${JSON.stringify(keep)}))`)),
  ];
  for (const s of tree.steps) {
    const { badgeClassIds: _, ...row } = s;
    statements.push(
      ctx.db
        .insert(pathwaySteps)
        .values({ ...row, pathwayId: id, createdAt: new Date(now) })
        .onConflictDoUpdate({
          target: pathwaySteps.id,
          set: {
            parentId: row.parentId,
            position: row.position,
            name: row.name,
            description: row.description,
            junction: row.junction,
            requiredCount: row.requiredCount,
            completionBadgeClassId: row.completionBadgeClassId,
          },
        }),
    );
  }
  const requirementRows = [
    ...tree.rootBadges.map((badgeClassId, position) => ({ pathwayId: id, nodeId: id, badgeClassId, position })),
    ...tree.steps.flatMap((s) =>
      s.badgeClassIds.map((badgeClassId, position) => ({ pathwayId: id, nodeId: s.id, badgeClassId, position })),
    ),
  ];
  // Four columns a row: 20 rows stay under D1's 100 bound values.
  for (let i = 0; i < requirementRows.length; i += 20) {
    statements.push(ctx.db.insert(pathwayRequirements).values(requirementRows.slice(i, i + 20)));
  }
  const rules = await completionRuleStatements(ctx, pathway, built, await completionBadgesOf(ctx, pathway), now);
  statements.push(...rules.statements);
  const [updated] = await ctx.db.batch([
    ctx.db
      .update(pathways)
      .set({ junction: tree.junction, requiredCount: tree.requiredCount, version: sql`${pathways.version} + 1`, updatedAt: new Date(now) })
      .where(eq(pathways.id, id))
      .returning(),
    ...statements,
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "pathway.tree-updated",
        subjectType: "pathway",
        subjectId: id,
        data: { steps: tree.steps.length, badges: requirementRows.length },
        ip: ctx.ip,
      },
      now,
    ),
    ...(published ? [evaluate.statement] : []),
  ]);
  if (published) afterCommit(ctx, [evaluate.id]);
  purgeBadgeDocuments(ctx, rules.changed);
  return updated[0]!;
}

/**
 * Publishing opens the pathway to learners and judges every subscriber's completions at
 * once (retroactively: badges earned before count). Archiving closes it: subscribers keep
 * reading it, but nothing more is awarded. Each change is guarded by the state it leaves, so
 * doing it twice changes and audits it once.
 */
export async function setPathwayState(ctx: AppContext, user: User, id: string, target: "published" | "archived"): Promise<Pathway> {
  const pathway = await requireEditablePathway(ctx, user, id);
  if (target === "published") requireCompleteTree(await loadTree(ctx, pathway));
  if (pathway.state === target) return pathway;
  const from: PathwayState[] = target === "published" ? ["draft", "archived"] : ["published"];
  if (!from.includes(pathway.state)) throw ValidationError.field("state", "Only a published pathway can be archived.");
  const now = ctx.now();
  const guard = and(eq(pathways.id, id), inArray(pathways.state, from));
  const evaluate = pathwayEvaluateIntent(ctx.db, { pathwayId: id }, now, {
    key: `pathway.evaluate:${id}:${pathway.version + 1}`,
    when: rowExists(ctx.db, pathways, and(eq(pathways.id, id), eq(pathways.state, "published"), eq(pathways.version, pathway.version + 1))),
  });
  const [, updated] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      { actorUserId: user.id, action: `pathway.${target}`, subjectType: "pathway", subjectId: id, ip: ctx.ip },
      now,
      rowExists(ctx.db, pathways, guard),
    ),
    ctx.db
      .update(pathways)
      .set({
        state: target,
        version: sql`${pathways.version} + 1`,
        updatedAt: new Date(now),
        ...(target === "published" ? { publishedAt: new Date(now) } : {}),
      })
      .where(guard)
      .returning(),
    evaluate.statement,
  ]);
  if (updated[0] && target === "published") afterCommit(ctx, [evaluate.id]);
  return updated[0] ?? (await getPathway(ctx, id))!;
}

/** "all of: the badge "A"; the step "S" (at least 1 of: …)". */
function describeNode(node: RequirementNode, names: Map<string, string>): string {
  const items = [
    ...node.badgeClassIds.map((id) => `the badge "${names.get(id) ?? id}"`),
    ...node.children.map((c) => `the step "${c.name}" (${describeNode(c, names)})`),
  ];
  const junction = node.junction === "all" ? "all of" : `at least ${requiredItems(node)} of`;
  return `${junction}: ${items.join("; ")}`;
}

export function completionRule(pathway: Pick<Pathway, "name">, node: RequirementNode, names: Map<string, string>): CompletionRule {
  const what = node.stepId ? `the step "${node.name}" of the pathway "${pathway.name}"` : `the pathway "${pathway.name}"`;
  return {
    narrative: `Awarded by Laurel on completing ${what}, which requires ${describeNode(node, names)}.`,
    requires: badgeClassesOf(node).map((id) => ({ id, name: names.get(id) ?? id })),
  };
}

/**
 * Statements for the batch of an edit: each completion badge of the tree says what completes
 * it; one the pathway no longer awards (`before`) says nothing any more.
 */
async function completionRuleStatements(
  ctx: AppContext,
  pathway: Pick<Pathway, "name">,
  tree: RequirementNode,
  before: string[],
  now: number,
): Promise<{ statements: BatchItem<"sqlite">[]; changed: string[] }> {
  const nodes = allNodes(tree).filter((n) => n.completionBadgeClassId);
  const ids = badgeClassesOf(tree);
  const rows = ids.length
    ? await ctx.db.select({ id: badgeClasses.id, name: badgeClasses.name }).from(badgeClasses).where(inArray(badgeClasses.id, ids)).all()
    : [];
  const names = new Map(rows.map((b) => [b.id, b.name] as const));
  const awarded = new Set(nodes.map((n) => n.completionBadgeClassId!));
  const statements: BatchItem<"sqlite">[] = [
    ...nodes.map((n) => setCompletionRuleStatement(ctx, n.completionBadgeClassId!, completionRule(pathway, n, names), now)),
    ...before.filter((id) => !awarded.has(id)).map((id) => setCompletionRuleStatement(ctx, id, null, now)),
  ];
  return { statements, changed: [...new Set([...awarded, ...before])] };
}

/** Verifiers' cached copies of the changed badge documents go once the change committed. */
function purgeBadgeDocuments(ctx: AppContext, badgeClassIds: string[]) {
  if (badgeClassIds.length)
    purgeAfterCommit(
      ctx,
      badgeClassIds.map((id) => publicUrls(ctx.config.appUrl).badge(id)),
    );
}
