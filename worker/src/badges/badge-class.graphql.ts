import type { AppContext } from "../context";
import { listsFor } from "../db/limits";
import { builder } from "../graphql/builder";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { publicUrls } from "../lib/public-urls";
import { AlignmentInput, AlignmentType } from "./alignment.graphql";
import {
  ACHIEVEMENT_TYPES,
  createBadgeClass,
  getBadgeClass,
  getBadgeClasses,
  listBadgeClassesOfIssuers,
  lockedFieldsOf,
  updateBadgeClass,
} from "./badge-classes.service";
import { IssuerType, myRoleIn } from "./issuer.graphql";

// A badge an issuer awards, and the issuer's list of them.

/** Loaded by id through the request's dataloader: fields returning a badge class may return its id. */
export const BadgeClassType = builder.loadableObjectRef("BadgeClass", {
  load: (ids: string[], ctx: AppContext) => getBadgeClasses(ctx, ids),
  sort: (badgeClass) => badgeClass.id,
});

BadgeClassType.implement({
  description: "A badge an issuer awards: what it means and what it takes.",
  fields: (t) => ({
    id: t.exposeID("id"),
    issuer: t.field({ type: IssuerType, resolve: (b) => b.issuerId }),
    name: t.exposeString("name"),
    description: t.exposeString("description", { description: "The learning description." }),
    imageUrl: t.string({ resolve: (b, _a, ctx) => publicUrls(ctx.config.appUrl).image(b.imageKey) }),
    previewImageUrl: t.string({
      description: "The PNG that link previews show: the image itself when it is a PNG, else its PNG preview, else Laurel's card.",
      resolve: (b, _a, ctx) => publicUrls(ctx.config.appUrl).previewImage(b),
    }),
    criteriaNarrative: t.exposeString("criteriaNarrative", { nullable: true, description: "Markdown." }),
    criteriaUrl: t.exposeString("criteriaUrl", { nullable: true }),
    learningOutcomes: t.exposeStringList("learningOutcomes"),
    alignments: t.field({ type: [AlignmentType], resolve: (b) => b.alignments }),
    tags: t.exposeStringList("tags"),
    achievementType: t.exposeString("achievementType"),
    validForMonths: t.exposeInt("validForMonths", { nullable: true }),
    createdAt: t.field({ type: "DateTime", resolve: (b) => b.createdAt }),
    updatedAt: t.field({ type: "DateTime", resolve: (b) => b.updatedAt }),
    lockedFields: t.stringList({
      description:
        "Input fields updateBadgeClass no longer changes because the class has awards (criteriaNarrative, criteriaUrl, achievementType); empty before its first award.",
      resolve: (b, _a, ctx) => lockedFieldsOf(ctx, b.id),
    }),
  }),
});

builder.objectField(IssuerType, "badgeClasses", (t) =>
  t.loadableList({
    type: BadgeClassType,
    load: async (issuerIds: string[], ctx: AppContext) =>
      listsFor(issuerIds, await listBadgeClassesOfIssuers(ctx, issuerIds), (badgeClass) => badgeClass.issuerId),
    resolve: (issuer) => issuer.id,
  }),
);

const BadgeClassInput = builder.inputType("BadgeClassInput", {
  fields: (t) => ({
    name: t.string(),
    description: t.string(),
    image: t.field({
      type: "File",
      required: false,
      description: "Required when creating. PNG or SVG, square, 90–2048 px, at most 512 KB.",
    }),
    previewImage: t.field({
      type: "File",
      required: false,
      description:
        "With an SVG image: a PNG of it for link previews (LinkedIn and Facebook show no SVG), square, 90–2048 px. Without one, previews of an SVG class show Laurel's card; a new image drops the old preview.",
    }),
    criteriaNarrative: t.string({ required: false }),
    criteriaUrl: t.string({ required: false }),
    learningOutcomes: t.stringList({ required: false }),
    alignments: t.field({ type: [AlignmentInput], required: false }),
    tags: t.stringList({ required: false }),
    achievementType: t.string({ required: false, description: `One of ${ACHIEVEMENT_TYPES.join(", ")}.` }),
    validForMonths: t.int({ required: false, description: "Awards expire this many months after their issue date." }),
  }),
});

builder.queryFields((t) => ({
  badgeClass: t.withAuth({ actor: "issuer:read" }).field({
    type: BadgeClassType,
    nullable: true,
    args: { id: t.arg.id() },
    resolve: async (_r, { id }, ctx) => {
      const badgeClass = await getBadgeClass(ctx, String(id));
      return badgeClass && (await myRoleIn(ctx, badgeClass.issuerId)) ? badgeClass : null;
    },
  }),
}));

builder.mutationFields((t) => ({
  createBadgeClass: t.withAuth({ actor: "badge_classes:write" }).field({
    type: BadgeClassType,
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { issuerId: t.arg.id(), input: t.arg({ type: BadgeClassInput }) },
    resolve: (_r, { issuerId, input }, ctx) => createBadgeClass(ctx, ctx.user, String(issuerId), input),
  }),
  updateBadgeClass: t.withAuth({ actor: "badge_classes:write" }).field({
    type: BadgeClassType,
    errors: { types: [NotFoundError, ForbiddenError] },
    description:
      "Editors and owners change a class; without an image the current one stays. Hosted documents show the change, signed credentials keep what was signed; once awarded, criteria and type are refused with field errors (ADR 022).",
    args: { id: t.arg.id(), input: t.arg({ type: BadgeClassInput }) },
    resolve: (_r, { id, input }, ctx) => updateBadgeClass(ctx, ctx.user, String(id), input),
  }),
}));
