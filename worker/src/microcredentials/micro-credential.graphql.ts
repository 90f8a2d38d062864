import { BadgeClassType } from "../badges/badge-class.graphql";
import { getBadgeClass } from "../badges/badge-classes.service";
import { builder } from "../graphql/builder";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import {
  getMicroCredential,
  listMicroCredentials,
  listPrerequisites,
  listStepPrerequisites,
  setMicroCredential,
} from "./definitions.service";
import type { MicroCredential, Resource } from "./micro-credentials.table";
import { RubricCriterionInput, RubricCriterionType } from "./rubric-criterion.graphql";
import { SubmissionPartInput, SubmissionPartType } from "./submission-part.graphql";

const ResourceType = builder.objectRef<Resource>("MicroCredentialResource").implement({
  fields: (t) => ({ title: t.exposeString("title"), url: t.exposeString("url") }),
});

const PrerequisiteType = builder.objectRef<{ id: string; name: string }>("MicroCredentialPrerequisite").implement({
  fields: (t) => ({ badgeClassId: t.exposeID("id"), name: t.exposeString("name") }),
});

export const MicroCredentialType = builder.objectRef<MicroCredential>("MicroCredential").implement({
  description: "A competency-based badge earned by submitting evidence that an assessor judges against a rubric. Public.",
  fields: (t) => ({
    badgeClassId: t.exposeID("badgeClassId"),
    badgeClass: t.field({ type: BadgeClassType, resolve: (m) => m.badgeClassId }),
    competency: t.exposeString("competency"),
    keyMethod: t.exposeString("keyMethod"),
    methodComponents: t.exposeString("methodComponents"),
    research: t.exposeString("research", { description: "Supporting research and rationale." }),
    resources: t.field({ type: [ResourceType], resolve: (m) => m.resources }),
    parts: t.field({ type: [SubmissionPartType], resolve: (m) => m.parts }),
    criteria: t.field({ type: [RubricCriterionType], resolve: (m) => m.criteria }),
    prerequisites: t.field({ type: [PrerequisiteType], resolve: (m, _a, ctx) => listPrerequisites(ctx, m.badgeClassId) }),
    prerequisiteStepIds: t.idList({
      description: "Pathway steps (or whole pathways) a learner must meet, with badges held now, before submitting.",
      resolve: (m, _a, ctx) => listStepPrerequisites(ctx, m.badgeClassId),
    }),
    reviewTargetDays: t.exposeInt("reviewTargetDays"),
    blindReview: t.exposeBoolean("blindReview"),
  }),
});

builder.objectField(BadgeClassType, "microCredential", (t) =>
  t.field({ type: MicroCredentialType, nullable: true, resolve: (b, _a, ctx) => getMicroCredential(ctx, b.id) }),
);

const ResourceInput = builder.inputType("MicroCredentialResourceInput", {
  fields: (t) => ({ title: t.string(), url: t.string() }),
});

const MicroCredentialInput = builder.inputType("MicroCredentialInput", {
  fields: (t) => ({
    competency: t.string(),
    keyMethod: t.string(),
    methodComponents: t.string({ required: false }),
    research: t.string({ required: false }),
    resources: t.field({ type: [ResourceInput], required: false }),
    parts: t.field({ type: [SubmissionPartInput] }),
    criteria: t.field({ type: [RubricCriterionInput] }),
    prerequisiteBadgeClassIds: t.idList({ required: false }),
    prerequisiteStepIds: t.idList({ required: false, description: "Ids of pathway steps, or of a pathway for all of it." }),
    reviewTargetDays: t.int({ required: false }),
    blindReview: t.boolean({ required: false }),
  }),
});

builder.queryFields((t) => ({
  microCredentials: t.field({
    type: [MicroCredentialType],
    description: "Every micro-credential learners can start, most recently defined first. Public.",
    args: { first: t.arg.int({ required: false, defaultValue: 50 }) },
    resolve: (_r, { first }, ctx) => listMicroCredentials(ctx, { first: Math.min(Math.max(first ?? 50, 1), 100) }),
  }),
  microCredential: t.field({
    type: MicroCredentialType,
    nullable: true,
    description: "The public page of a micro-credential: what it is, what to submit, the rubric.",
    args: { badgeClassId: t.arg.id() },
    resolve: async (_r, { badgeClassId }, ctx) =>
      (await getBadgeClass(ctx, String(badgeClassId))) ? getMicroCredential(ctx, String(badgeClassId)) : null,
  }),
}));

builder.mutationFields((t) => ({
  setMicroCredential: t.withAuth({ signedIn: true }).field({
    type: MicroCredentialType,
    description: "Makes a badge class a micro-credential, or changes its definition. Owners and editors.",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { badgeClassId: t.arg.id(), input: t.arg({ type: MicroCredentialInput }) },
    resolve: (_r, { badgeClassId, input }, ctx) =>
      setMicroCredential(ctx, ctx.user, String(badgeClassId), {
        ...input,
        parts: input.parts.map((p) => ({ ...p, id: p.id ? String(p.id) : null })),
        criteria: input.criteria.map((c) => ({ ...c, id: c.id ? String(c.id) : null })),
        prerequisiteBadgeClassIds: input.prerequisiteBadgeClassIds?.map(String) ?? null,
        prerequisiteStepIds: input.prerequisiteStepIds?.map(String) ?? null,
      }),
  }),
}));
