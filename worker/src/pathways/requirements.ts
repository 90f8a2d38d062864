import type { Junction, Pathway, PathwayStep } from "./pathways.table";

// A pathway's requirement tree and how a learner's badges meet it. Pure: progress is computed
// at read time from the badges a learner holds now (docs/decisions/023-pathway-progress.md).

export interface RequirementNode {
  /** The pathway's id for the root, a step's id otherwise. */
  id: string;
  stepId: string | null;
  name: string;
  description: string;
  junction: Junction;
  requiredCount: number | null;
  completionBadgeClassId: string | null;
  badgeClassIds: string[];
  children: RequirementNode[];
}

export interface NodeProgress {
  node: RequirementNode;
  met: boolean;
  /** Items (badge classes and child steps) met. */
  done: number;
  /** Items the junction needs: all of them, or N. */
  required: number;
  heldBadgeClassIds: string[];
  missingBadgeClassIds: string[];
  children: NodeProgress[];
  /**
   * The badge classes that make it met, when it is: all it holds for "all of", those of the
   * first N items met for "at least N". A completion is written only while these still hold.
   */
  witnesses: string[];
}

type RequirementRow = { nodeId: string; badgeClassId: string; position: number };

/** The tree from its rows: steps under their parents, siblings and badge classes by position. */
export function buildTree(
  pathway: Pick<Pathway, "id" | "name" | "description" | "junction" | "requiredCount" | "completionBadgeClassId">,
  steps: readonly Pick<
    PathwayStep,
    "id" | "parentId" | "position" | "name" | "description" | "junction" | "requiredCount" | "completionBadgeClassId"
  >[],
  requirements: readonly RequirementRow[],
): RequirementNode {
  const badgesOf = new Map<string, RequirementRow[]>();
  for (const r of requirements) badgesOf.set(r.nodeId, [...(badgesOf.get(r.nodeId) ?? []), r]);
  const childrenOf = new Map<string, typeof steps>();
  for (const s of steps) childrenOf.set(s.parentId, [...(childrenOf.get(s.parentId) ?? []), s]);
  const seen = new Set<string>();
  const node = (
    id: string,
    stepId: string | null,
    fields: Pick<RequirementNode, "name" | "description" | "junction" | "requiredCount" | "completionBadgeClassId">,
  ): RequirementNode => {
    seen.add(id);
    return {
      id,
      stepId,
      ...fields,
      badgeClassIds: (badgesOf.get(id) ?? []).sort((a, b) => a.position - b.position).map((r) => r.badgeClassId),
      children: [...(childrenOf.get(id) ?? [])]
        .filter((s) => !seen.has(s.id))
        .sort((a, b) => a.position - b.position)
        .map((s) => node(s.id, s.id, s)),
    };
  };
  return node(pathway.id, null, pathway);
}

/** How many items the node's junction needs. */
export function requiredItems(node: Pick<RequirementNode, "junction" | "requiredCount" | "badgeClassIds" | "children">): number {
  const items = node.badgeClassIds.length + node.children.length;
  return node.junction === "all" ? items : Math.min(node.requiredCount ?? items, items);
}

/** The learner's progress on the node, given the badge classes they hold live now. */
export function evaluate(node: RequirementNode, held: ReadonlySet<string>): NodeProgress {
  const children = node.children.map((child) => evaluate(child, held));
  const required = requiredItems(node);
  const items: { met: boolean; witnesses: string[] }[] = [
    ...node.badgeClassIds.map((id) => ({ met: held.has(id), witnesses: [id] })),
    ...children.map((c) => ({ met: c.met, witnesses: c.witnesses })),
  ];
  const metItems = items.filter((i) => i.met);
  // A node with nothing in it is never met: an empty step must not complete a pathway.
  const met = items.length > 0 && metItems.length >= required;
  const witnessItems = node.junction === "all" ? metItems : metItems.slice(0, required);
  return {
    node,
    met,
    done: metItems.length,
    required,
    heldBadgeClassIds: node.badgeClassIds.filter((id) => held.has(id)),
    missingBadgeClassIds: node.badgeClassIds.filter((id) => !held.has(id)),
    children,
    witnesses: met ? [...new Set(witnessItems.flatMap((i) => i.witnesses))] : [],
  };
}

/** Every node of the tree, root first, depth first. */
export function allNodes<T extends { children: T[] }>(root: T): T[] {
  return [root, ...root.children.flatMap((c) => allNodes(c))];
}

/** What to work on next: the first unmet step, as deep as its first unmet child goes; null once met. */
export function nextStep(progress: NodeProgress): NodeProgress | null {
  if (progress.met) return null;
  const child = progress.children.find((c) => !c.met);
  if (!child) return progress;
  return nextStep(child) ?? child;
}

/** Every badge class the tree names, for reading which of them a learner holds. */
export function badgeClassesOf(root: RequirementNode): string[] {
  return [...new Set(allNodes(root).flatMap((n) => n.badgeClassIds))];
}

/** The node with this id (the pathway's id names the root), or null. */
export function findNode(root: RequirementNode, id: string): RequirementNode | null {
  return allNodes(root).find((n) => n.id === id) ?? null;
}
