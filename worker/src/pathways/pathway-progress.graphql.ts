import { BadgeClassType } from "../badges/badge-class.graphql";
import { IssuerType } from "../badges/issuer.graphql";
import { builder } from "../graphql/builder";
import { NotFoundError } from "../lib/errors";
import { answerInvitation, joinPathway, leavePathway } from "./invitations.service";
import { JunctionEnum, PathwayType, primeTree } from "./pathway.graphql";
import { requireVisiblePathway } from "./pathways.service";
import { earnUrl, type LearnerProgress, learnerProgress, type MyPathways, myPathways } from "./progress.service";
import { type NodeProgress, nextStep } from "./requirements";

// A learner's progress on pathways, as it is now (computed when read, ADR 023).

type BadgeView = { badgeClassId: string; awardId: string | null; microCredential: boolean };
type NodeView = { progress: NodeProgress; of: LearnerProgress; parentId: string | null; depth: number };

const PathwayBadgeProgressType = builder.objectRef<BadgeView>("PathwayBadgeProgress").implement({
  description: "A badge a step requires, and whether the learner holds it now.",
  fields: (t) => ({
    badgeClass: t.field({ type: BadgeClassType, resolve: (b) => b.badgeClassId }),
    held: t.boolean({ resolve: (b) => b.awardId !== null }),
    awardId: t.id({ nullable: true, description: "The learner's award that counts for it.", resolve: (b) => b.awardId }),
    microCredential: t.boolean({
      description: "The badge is a micro-credential: earned by submitting evidence, which its page starts.",
      resolve: (b) => b.microCredential,
    }),
    earnUrl: t.string({
      description: "Where to learn how to earn it: the micro-credential's page (to start it), or else the badge's public page.",
      resolve: (b, _a, ctx) => earnUrl(ctx.config.appUrl, b),
    }),
  }),
});

export const PathwayNodeProgressType = builder.objectRef<NodeView>("PathwayNodeProgress").implement({
  description: "The pathway itself (stepId null) or one of its steps, with what is done and what is missing.",
  fields: (t) => ({
    id: t.id({ resolve: (n) => n.progress.node.id }),
    stepId: t.id({ nullable: true, resolve: (n) => n.progress.node.stepId }),
    parentId: t.id({
      nullable: true,
      description: "The parent step; null for top-level steps and the pathway.",
      resolve: (n) => n.parentId,
    }),
    depth: t.int({ description: "0 for the pathway, 1 for its top-level steps.", resolve: (n) => n.depth }),
    name: t.string({ resolve: (n) => n.progress.node.name }),
    description: t.string({ resolve: (n) => n.progress.node.description }),
    junction: t.field({ type: JunctionEnum, resolve: (n) => n.progress.node.junction }),
    requiredCount: t.int({ nullable: true, resolve: (n) => n.progress.node.requiredCount }),
    met: t.boolean({ description: "The requirement is met by the badges held now.", resolve: (n) => n.progress.met }),
    done: t.int({ description: "Items (badges and child steps) met.", resolve: (n) => n.progress.done }),
    required: t.int({ description: "Items the junction needs.", resolve: (n) => n.progress.required }),
    badges: t.field({
      type: [PathwayBadgeProgressType],
      resolve: (n) =>
        n.progress.node.badgeClassIds.map((id) => ({
          badgeClassId: id,
          awardId: n.of.held.get(id) ?? null,
          microCredential: n.of.microCredentials.has(id),
        })),
    }),
    completionBadgeClass: t.field({ type: BadgeClassType, nullable: true, resolve: (n) => n.progress.node.completionBadgeClassId }),
    completedAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the completion was recorded (it stays if a badge is revoked later).",
      resolve: (n) => n.of.completions.get(n.progress.node.id)?.completedAt ?? null,
    }),
    completionAwardId: t.id({ nullable: true, resolve: (n) => n.of.completions.get(n.progress.node.id)?.awardId ?? null }),
  }),
});

function nodesOf(of: LearnerProgress): NodeView[] {
  const out: NodeView[] = [];
  const walk = (progress: NodeProgress, parentId: string | null, depth: number) => {
    out.push({ progress, of, parentId, depth });
    for (const child of progress.children) walk(child, progress.node.stepId, depth + 1);
  };
  walk(of.root, null, 0);
  return out;
}

export const PathwayProgressType = builder.objectRef<LearnerProgress>("PathwayProgress").implement({
  description: "The signed-in learner's progress on a pathway, from the badges they hold now.",
  fields: (t) => ({
    pathway: t.field({ type: PathwayType, resolve: (p) => p.pathway }),
    issuer: t.field({ type: IssuerType, resolve: (p) => p.pathway.issuerId }),
    subscribed: t.boolean({ resolve: (p) => p.subscribed }),
    invited: t.boolean({ description: "A pending invitation to one of your verified emails.", resolve: (p) => p.invited }),
    met: t.boolean({ description: "Every requirement is met now.", resolve: (p) => p.root.met }),
    completedAt: t.field({ type: "DateTime", nullable: true, resolve: (p) => p.completions.get(p.pathway.id)?.completedAt ?? null }),
    stepsDone: t.int({ description: "The pathway's own items (top-level steps and badges) met.", resolve: (p) => p.root.done }),
    stepsRequired: t.int({ resolve: (p) => p.root.required }),
    next: t.field({
      type: PathwayNodeProgressType,
      nullable: true,
      description: "What to work on next: the first step not met yet.",
      resolve: (p) => {
        const next = nextStep(p.root);
        return next ? (nodesOf(p).find((n) => n.progress === next) ?? null) : null;
      },
    }),
    nodes: t.field({
      type: [PathwayNodeProgressType],
      description: "The pathway, then its steps depth first.",
      resolve: (p) => nodesOf(p),
    }),
  }),
});

const MyPathwaysType = builder.objectRef<MyPathways>("MyPathways").implement({
  fields: (t) => ({
    subscribed: t.field({ type: [PathwayProgressType], resolve: (m) => m.subscribed }),
    invitations: t.field({
      type: [PathwayProgressType],
      description: "Pending invitations to any of your verified emails.",
      resolve: (m) => m.invited,
    }),
    opportunities: t.field({
      type: [PathwayProgressType],
      description: "Published pathways you do not follow that require a badge you hold.",
      resolve: (m) => m.opportunities,
    }),
  }),
});

builder.queryFields((t) => ({
  myPathways: t.withAuth({ signedIn: true }).field({
    type: MyPathwaysType,
    resolve: async (_r, _a, ctx) => {
      const mine = await myPathways(ctx, ctx.user);
      // Read with the pathways: handing them to the request's loaders keeps the page at three D1 queries.
      for (const p of [...mine.subscribed, ...mine.invited, ...mine.opportunities]) primeTree(ctx, p.pathway, p.tree);
      const issuers = IssuerType.getDataloader(ctx);
      for (const issuer of mine.issuers) issuers.prime(issuer.id, issuer);
      const classes = BadgeClassType.getDataloader(ctx);
      for (const badgeClass of mine.badgeClasses) classes.prime(badgeClass.id, badgeClass);
      return mine;
    },
  }),
  pathwayProgress: t.withAuth({ signedIn: true }).field({
    type: PathwayProgressType,
    nullable: true,
    description: "Your progress on a pathway you can see.",
    args: { pathwayId: t.arg.id() },
    resolve: async (_r, { pathwayId }, ctx) => {
      const pathway = await requireVisiblePathway(ctx, ctx.user, String(pathwayId)).catch((error) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
      if (!pathway) return null;
      const progress = await learnerProgress(ctx, ctx.user, pathway);
      primeTree(ctx, pathway, progress.tree);
      return progress;
    },
  }),
}));

builder.mutationFields((t) => ({
  acceptPathwayInvitation: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    description: "Accepts the pending invitations to the pathway sent to any of your verified emails, and follows it.",
    errors: { types: [NotFoundError] },
    args: { pathwayId: t.arg.id() },
    resolve: (_r, { pathwayId }, ctx) => answerInvitation(ctx, ctx.user, String(pathwayId), "accepted"),
  }),
  declinePathwayInvitation: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    errors: { types: [NotFoundError] },
    args: { pathwayId: t.arg.id() },
    resolve: (_r, { pathwayId }, ctx) => answerInvitation(ctx, ctx.user, String(pathwayId), "declined"),
  }),
  joinPathway: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    description: "Follows a published pathway without an invitation.",
    errors: { types: [NotFoundError] },
    args: { pathwayId: t.arg.id() },
    resolve: (_r, { pathwayId }, ctx) => joinPathway(ctx, ctx.user, String(pathwayId)),
  }),
  leavePathway: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    description: "Stops following a pathway; completion badges you earned stay yours.",
    errors: { types: [NotFoundError] },
    args: { pathwayId: t.arg.id() },
    resolve: (_r, { pathwayId }, ctx) => leavePathway(ctx, ctx.user, String(pathwayId)),
  }),
}));
