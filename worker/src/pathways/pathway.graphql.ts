import { createContextCache } from "@pothos/core";
import { BadgeClassType } from "../badges/badge-class.graphql";
import { IssuerType, myRoleIn } from "../badges/issuer.graphql";
import type { AppContext } from "../context";
import { builder } from "../graphql/builder";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { publicUrls } from "../lib/public-urls";
import {
  createPathway,
  getPathways,
  getVisiblePathway,
  listIssuerPathways,
  loadTree,
  type StepInput,
  setPathwayState,
  setPathwayTree,
  updatePathway,
} from "./pathways.service";
import { JUNCTIONS, type Junction, PATHWAY_STATES, type Pathway, type PathwayState } from "./pathways.table";
import { allNodes, type RequirementNode } from "./requirements";

// A pathway as its issuer builds it: the pathway, its steps, publishing and archiving.

const enumValues = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v.toUpperCase().replaceAll("-", "_"), { value: v }])) as Record<string, { value: T }>;

export const PathwayStateEnum = builder.enumType("PathwayState", { values: enumValues<PathwayState>(PATHWAY_STATES) });
export const JunctionEnum = builder.enumType("PathwayJunction", {
  description: "ALL: every item of the requirement. AT_LEAST: requiredCount of them.",
  values: enumValues<Junction>(JUNCTIONS),
});

/** Loaded by id through the request's dataloader. */
export const PathwayType = builder.loadableObjectRef("Pathway", {
  load: (ids: string[], ctx: AppContext) => getPathways(ctx, ids),
  sort: (pathway) => pathway.id,
});

/** Each pathway's tree, read once per request (and handed over by reads that already have it). */
const trees = createContextCache((_ctx: AppContext) => new Map<string, Promise<RequirementNode>>());

export function treeOf(ctx: AppContext, pathway: Pathway): Promise<RequirementNode> {
  const cache = trees(ctx);
  const key = `${pathway.id}:${pathway.version}`;
  let tree = cache.get(key);
  if (!tree) {
    tree = loadTree(ctx, pathway);
    cache.set(key, tree);
  }
  return tree;
}

export function primeTree(ctx: AppContext, pathway: Pathway, tree: RequirementNode) {
  trees(ctx).set(`${pathway.id}:${pathway.version}`, Promise.resolve(tree));
  PathwayType.getDataloader(ctx).prime(pathway.id, pathway);
}

/** A step of the tree with its depth (1 for a top-level step), for lists that draw the tree flat. */
type StepView = { node: RequirementNode; parentId: string | null; depth: number };

function stepsOf(root: RequirementNode): StepView[] {
  const out: StepView[] = [];
  const walk = (node: RequirementNode, depth: number) => {
    for (const child of node.children) {
      out.push({ node: child, parentId: node.stepId, depth });
      walk(child, depth + 1);
    }
  };
  walk(root, 1);
  return out;
}

const PathwayStepType = builder.objectRef<StepView>("PathwayStep").implement({
  description: "A step of a pathway, in tree order (depth first).",
  fields: (t) => ({
    id: t.id({ resolve: (s) => s.node.id }),
    parentId: t.id({ nullable: true, description: "The parent step; null for a top-level step.", resolve: (s) => s.parentId }),
    depth: t.int({ resolve: (s) => s.depth }),
    name: t.string({ resolve: (s) => s.node.name }),
    description: t.string({ resolve: (s) => s.node.description }),
    junction: t.field({ type: JunctionEnum, resolve: (s) => s.node.junction }),
    requiredCount: t.int({ nullable: true, resolve: (s) => s.node.requiredCount }),
    badgeClasses: t.field({ type: [BadgeClassType], resolve: (s) => s.node.badgeClassIds }),
    completionBadgeClass: t.field({ type: BadgeClassType, nullable: true, resolve: (s) => s.node.completionBadgeClassId }),
  }),
});

PathwayType.implement({
  description: "A route of badges an issuer defines; completing it (or a step) can award a completion badge.",
  fields: (t) => ({
    id: t.exposeID("id"),
    issuer: t.field({ type: IssuerType, resolve: (p) => p.issuerId }),
    name: t.exposeString("name"),
    description: t.exposeString("description"),
    imageUrl: t.string({ nullable: true, resolve: (p, _a, ctx) => (p.imageKey ? publicUrls(ctx.config.appUrl).image(p.imageKey) : null) }),
    state: t.field({ type: PathwayStateEnum, resolve: (p) => p.state }),
    junction: t.field({ type: JunctionEnum, resolve: (p) => p.junction }),
    requiredCount: t.exposeInt("requiredCount", { nullable: true }),
    completionBadgeClass: t.field({ type: BadgeClassType, nullable: true, resolve: (p) => p.completionBadgeClassId }),
    badgeClasses: t.field({
      type: [BadgeClassType],
      description: "The badges the pathway requires directly, beside its steps.",
      resolve: async (p, _a, ctx) => (await treeOf(ctx, p)).badgeClassIds,
    }),
    steps: t.field({ type: [PathwayStepType], resolve: async (p, _a, ctx) => stepsOf(await treeOf(ctx, p)) }),
    stepCount: t.int({ resolve: async (p, _a, ctx) => allNodes(await treeOf(ctx, p)).length - 1 }),
    publishedAt: t.field({ type: "DateTime", nullable: true, resolve: (p) => p.publishedAt }),
    updatedAt: t.field({ type: "DateTime", resolve: (p) => p.updatedAt }),
  }),
});

builder.objectField(IssuerType, "pathways", (t) =>
  t.field({
    type: [PathwayType],
    description: "The issuer's pathways, drafts included, for its members.",
    resolve: async (issuer, _a, ctx) => ((await myRoleIn(ctx, issuer.id)) ? listIssuerPathways(ctx, issuer.id) : []),
  }),
);

const PathwayInput = builder.inputType("PathwayInput", {
  fields: (t) => ({
    name: t.string(),
    description: t.string({ required: false }),
    image: t.field({ type: "File", required: false, description: "PNG or SVG, 90–2048 px, at most 512 KB." }),
    completionBadgeClassId: t.id({ required: false, description: "One of the issuer's badge classes, awarded on completing the pathway." }),
  }),
});

const PathwayStepInput = builder.inputRef<StepInput>("PathwayStepInput").implement({
  fields: (t) => ({
    id: t.id({ required: false, description: "An existing step's id keeps it; leave empty for a new step." }),
    name: t.string(),
    description: t.string({ required: false }),
    junction: t.field({ type: JunctionEnum }),
    requiredCount: t.int({ required: false, description: "For AT_LEAST: how many of the badges and child steps." }),
    badgeClassIds: t.idList({ required: false, description: "Badge classes of any issuer on Laurel." }),
    completionBadgeClassId: t.id({ required: false, description: "One of the issuer's badge classes, awarded on completing the step." }),
    steps: t.field({ type: [PathwayStepInput], required: false, description: "Child steps, in order." }),
  }),
});

const PathwayTreeInput = builder.inputType("PathwayTreeInput", {
  fields: (t) => ({
    junction: t.field({ type: JunctionEnum, description: "How the pathway's own items (top-level steps and badges) combine." }),
    requiredCount: t.int({ required: false }),
    badgeClassIds: t.idList({ required: false }),
    steps: t.field({ type: [PathwayStepInput], required: false }),
  }),
});

const ids = (list: readonly (string | number)[] | null | undefined) => list?.map(String) ?? null;
const stepInput = (s: StepInput): StepInput => ({
  ...s,
  id: s.id ? String(s.id) : null,
  badgeClassIds: ids(s.badgeClassIds),
  completionBadgeClassId: s.completionBadgeClassId ? String(s.completionBadgeClassId) : null,
  steps: s.steps?.map(stepInput) ?? null,
});

builder.queryFields((t) => ({
  pathway: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    nullable: true,
    description: "A published or archived pathway, or a draft of an issuer you are a member of.",
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => getVisiblePathway(ctx, ctx.user, String(id)),
  }),
}));

builder.mutationFields((t) => ({
  createPathway: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    description: "A new draft pathway of the issuer (owners and editors).",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { issuerId: t.arg.id(), input: t.arg({ type: PathwayInput }) },
    resolve: (_r, { issuerId, input }, ctx) =>
      createPathway(ctx, ctx.user, String(issuerId), {
        ...input,
        completionBadgeClassId: input.completionBadgeClassId ? String(input.completionBadgeClassId) : null,
      }),
  }),
  updatePathway: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { id: t.arg.id(), input: t.arg({ type: PathwayInput }) },
    resolve: (_r, { id, input }, ctx) =>
      updatePathway(ctx, ctx.user, String(id), {
        ...input,
        completionBadgeClassId: input.completionBadgeClassId ? String(input.completionBadgeClassId) : null,
      }),
  }),
  setPathwayTree: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    description:
      "Replaces the pathway's steps (add, remove, reorder, nest, junctions) in one change. Steps named by id keep their identity; the others are removed. Subscribers' progress follows at once.",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { id: t.arg.id(), tree: t.arg({ type: PathwayTreeInput }) },
    resolve: (_r, { id, tree }, ctx) =>
      setPathwayTree(ctx, ctx.user, String(id), {
        junction: tree.junction,
        requiredCount: tree.requiredCount,
        badgeClassIds: ids(tree.badgeClassIds),
        steps: tree.steps?.map(stepInput) ?? null,
      }),
  }),
  publishPathway: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    description: "Opens the pathway to learners; subscribers who already qualify are awarded at once.",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => setPathwayState(ctx, ctx.user, String(id), "published"),
  }),
  archivePathway: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    description: "Closes the pathway: subscribers still see it, nothing more is awarded.",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => setPathwayState(ctx, ctx.user, String(id), "archived"),
  }),
}));
