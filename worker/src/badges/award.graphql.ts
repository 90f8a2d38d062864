import { builder } from "../graphql/builder";
import { ForbiddenError, IdempotencyKeyReusedError, NotFoundError } from "../lib/errors";
import { awardBadge, listIssuerAwards, revokeAward, setAwardVisibility } from "./awards.service";
import { type Award, type AwardStatus, awardStatus, type Evidence } from "./awards.table";
import { BadgeClassType } from "./badge-class.graphql";
import { IssuerType, issuerOnly } from "./issuer.graphql";

// A badge awarded to an email address: the issuer's side (award, revoke, list) and the
// recipient's (accept, hide, show).

export const AwardStatusEnum = builder.enumType("AwardStatus", {
  values: {
    PENDING: { value: "pending", description: "Awarded; the recipient has not accepted it yet." },
    ACCEPTED: { value: "accepted" },
    REVOKED: { value: "revoked" },
    EXPIRED: { value: "expired" },
  } as const,
});

const EvidenceType = builder.objectRef<Evidence>("Evidence").implement({
  fields: (t) => ({ url: t.exposeString("url", { nullable: true }), narrative: t.exposeString("narrative", { nullable: true }) }),
});

export const AwardType = builder.objectRef<Award>("Award").implement({
  description: "A badge awarded to an email address.",
  fields: (t) => ({
    id: t.exposeID("id"),
    // Ids: the request's dataloaders fetch each badge class and issuer once per batch.
    badgeClass: t.field({ type: BadgeClassType, resolve: (a) => a.badgeClassId }),
    issuer: t.field({ type: IssuerType, resolve: (a) => a.issuerId }),
    recipientEmail: t.exposeString("recipientEmail"),
    recipientName: t.exposeString("recipientName", { nullable: true }),
    narrative: t.exposeString("narrative", { nullable: true }),
    evidence: t.field({ type: [EvidenceType], resolve: (a) => a.evidence }),
    issuedOn: t.field({ type: "DateTime", resolve: (a) => a.issuedOn }),
    expiresAt: t.field({ type: "DateTime", nullable: true, resolve: (a) => a.expiresAt }),
    status: t.field({ type: AwardStatusEnum, resolve: (a, _x, ctx): AwardStatus => awardStatus(a, ctx.now()) }),
    hidden: t.boolean({ resolve: (a) => a.hiddenAt !== null }),
    acceptedAt: t.field({ type: "DateTime", nullable: true, resolve: (a) => a.acceptedAt }),
    revokedAt: t.field({ type: "DateTime", nullable: true, resolve: (a) => a.revokedAt }),
    revocationReason: t.exposeString("revocationReason", { nullable: true }),
  }),
});

const AwardListType = builder.objectRef<{ items: Award[]; total: number }>("AwardList").implement({
  fields: (t) => ({ items: t.field({ type: [AwardType], resolve: (l) => l.items }), total: t.exposeInt("total") }),
});

// issuerOnly's scope replaces withAuth's at run time and requires a user as well; withAuth types the context.
builder.objectField(IssuerType, "awards", (t) =>
  t.withAuth({ actor: "awards:read" }).field({
    type: AwardListType,
    description: "Members only; anyone else gets a FORBIDDEN error. API tokens: `awards:read`.",
    ...issuerOnly("award", "Only the issuer's members see its awards.", "awards:read"),
    args: {
      status: t.arg({ type: AwardStatusEnum, required: false }),
      badgeClassId: t.arg.id({ required: false }),
      recipient: t.arg.string({ required: false, description: "Part of the recipient's email." }),
      limit: t.arg.int({ required: false, defaultValue: 50 }),
      offset: t.arg.int({ required: false, defaultValue: 0 }),
    },
    resolve: (i, args, ctx) =>
      listIssuerAwards(ctx, ctx.user, i.id, {
        status: args.status ?? null,
        badgeClassId: args.badgeClassId ? String(args.badgeClassId) : null,
        recipient: args.recipient ?? null,
        limit: Math.min(Math.max(args.limit ?? 50, 1), 200),
        offset: Math.max(args.offset ?? 0, 0),
      }),
  }),
);

const EvidenceInput = builder.inputType("EvidenceInput", {
  fields: (t) => ({ url: t.string({ required: false }), narrative: t.string({ required: false }) }),
});

const AwardInput = builder.inputType("AwardInput", {
  fields: (t) => ({
    email: t.string(),
    recipientName: t.string({ required: false }),
    narrative: t.string({ required: false }),
    evidence: t.field({ type: [EvidenceInput], required: false }),
    issuedOn: t.string({ required: false, description: "YYYY-MM-DD; today when empty." }),
    expiresOn: t.string({ required: false, description: "YYYY-MM-DD; defaults to the badge class's expiry rule." }),
  }),
});

builder.mutationFields((t) => ({
  awardBadge: t.withAuth({ actor: "awards:write" }).field({
    type: AwardType,
    description: "Awards a badge class to an email address and emails the recipient.",
    errors: { types: [NotFoundError, ForbiddenError, IdempotencyKeyReusedError] },
    args: {
      badgeClassId: t.arg.id(),
      input: t.arg({ type: AwardInput }),
      idempotencyKey: t.arg.string({
        required: false,
        description:
          "A fresh random key (a UUID) per award the user means to make: a retry with the same key and input returns the first award instead of a second. Integrations may send it as the Idempotency-Key header instead.",
      }),
    },
    resolve: (_r, { badgeClassId, input, idempotencyKey }, ctx) =>
      awardBadge(ctx, ctx.user, String(badgeClassId), input, idempotencyKey ?? ctx.idempotencyKey),
  }),
  revokeAward: t.withAuth({ actor: "awards:write" }).field({
    type: AwardType,
    description: "Revokes an award with a reason; it leaves the recipient's backpack and they are told.",
    errors: { types: [NotFoundError, ForbiddenError, IdempotencyKeyReusedError] },
    args: {
      awardId: t.arg.id(),
      reason: t.arg.string(),
      idempotencyKey: t.arg.string({
        required: false,
        description:
          "A fresh random key per revocation: a retry with the same key returns the revoked award instead of an error. Integrations may send it as the Idempotency-Key header instead.",
      }),
    },
    resolve: (_r, args, ctx) =>
      revokeAward(ctx, ctx.user, { awardId: String(args.awardId), reason: args.reason }, args.idempotencyKey ?? ctx.idempotencyKey),
  }),
  acceptBadge: t.withAuth({ signedIn: true }).field({
    type: AwardType,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => setAwardVisibility(ctx, ctx.user, String(id), "accept"),
  }),
  hideBadge: t.withAuth({ signedIn: true }).field({
    type: AwardType,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => setAwardVisibility(ctx, ctx.user, String(id), "hide"),
  }),
  showBadge: t.withAuth({ signedIn: true }).field({
    type: AwardType,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => setAwardVisibility(ctx, ctx.user, String(id), "show"),
  }),
}));
