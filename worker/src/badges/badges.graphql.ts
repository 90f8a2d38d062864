import { inArray } from "drizzle-orm";
import { GraphQLError } from "graphql";
import { users } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import { builder } from "../graphql/builder";
import { ErrorInterface } from "../graphql/errors.graphql";
import { ForbiddenError, IdempotencyKeyReusedError, NotFoundError, ValidationError } from "../lib/errors";
import { awardBadge, getOwnAward, listIssuerAwards, revokeAward, setAwardVisibility } from "./awards.service";
import { type Award, type AwardStatus, awardStatus, type Evidence } from "./awards.table";
import { listBackpack } from "./backpack.service";
import { ACHIEVEMENT_TYPES, createBadgeClass, getBadgeClass, listBadgeClasses, updateBadgeClass } from "./badge-classes.service";
import type { Alignment, BadgeClass } from "./badge-classes.table";
import { bulkAward, CsvRejectedError } from "./bulk-award";
import { imageUrl } from "./images";
import {
  createIssuer,
  getRole,
  type IssuerAction,
  listIssuerMembers,
  listMyIssuers,
  removeIssuerMember,
  roleAllows,
  setIssuerMember,
  updateIssuer,
} from "./issuers.service";
import { ISSUER_ROLES, type Issuer, type IssuerRole } from "./issuers.table";
import { loadBadgeClass, loadIssuer } from "./loaders";

// ---- Types ---------------------------------------------------------------------------------

const IssuerRoleEnum = builder.enumType("IssuerRole", {
  values: Object.fromEntries(ISSUER_ROLES.map((r) => [r.toUpperCase(), { value: r }])) as Record<
    "OWNER" | "EDITOR" | "AWARDER",
    { value: IssuerRole }
  >,
});

const AwardStatusEnum = builder.enumType("AwardStatus", {
  values: {
    PENDING: { value: "pending", description: "Awarded; the recipient has not accepted it yet." },
    ACCEPTED: { value: "accepted" },
    REVOKED: { value: "revoked" },
    EXPIRED: { value: "expired" },
  } as const,
});

const BackpackFilterEnum = builder.enumType("BackpackFilter", {
  values: { ALL: { value: "all" }, ACTIVE: { value: "active" }, EXPIRED: { value: "expired" } } as const,
});

const AlignmentType = builder.objectRef<Alignment>("Alignment").implement({
  description: "A competency in a framework that the badge aligns to.",
  fields: (t) => ({
    name: t.exposeString("name"),
    url: t.exposeString("url"),
    code: t.exposeString("code", { nullable: true }),
    framework: t.exposeString("framework", { nullable: true }),
  }),
});

const EvidenceType = builder.objectRef<Evidence>("Evidence").implement({
  fields: (t) => ({ url: t.exposeString("url", { nullable: true }), narrative: t.exposeString("narrative", { nullable: true }) }),
});

const MemberType = builder.objectRef<{ userId: string; role: IssuerRole; name: string }>("IssuerMember").implement({
  fields: (t) => ({
    userId: t.exposeID("userId"),
    name: t.exposeString("name"),
    role: t.field({ type: IssuerRoleEnum, resolve: (m) => m.role }),
  }),
});

export const IssuerType = builder.objectRef<Issuer>("Issuer");
export const BadgeClassType = builder.objectRef<BadgeClass>("BadgeClass");
export const AwardType = builder.objectRef<Award>("Award");

const AwardListType = builder.objectRef<{ items: Award[]; total: number }>("AwardList").implement({
  fields: (t) => ({ items: t.field({ type: [AwardType], resolve: (l) => l.items }), total: t.exposeInt("total") }),
});

/**
 * Field options for what only some of an issuer's members may read. A query has no result
 * union, so a refusal is a GraphQL error with code FORBIDDEN (UNAUTHENTICATED when signed
 * out), never a service error that would be masked as unexpected.
 */
function issuerOnly(action: IssuerAction, message: string) {
  return {
    authScopes: async (issuer: Issuer, _args: unknown, ctx: AppContext) =>
      ctx.user !== null && roleAllows(await getRole(ctx, issuer.id, ctx.user.id), action),
    unauthorizedError: (_parent: unknown, _args: unknown, ctx: AppContext) =>
      ctx.user
        ? new GraphQLError(message, { extensions: { code: "FORBIDDEN" } })
        : new GraphQLError("Sign in to continue.", { extensions: { code: "UNAUTHENTICATED" } }),
  };
}

IssuerType.implement({
  description: "An organisation that awards badges.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    url: t.exposeString("url"),
    email: t.exposeString("email"),
    description: t.exposeString("description"),
    imageUrl: t.string({ nullable: true, resolve: (i, _a, ctx) => (i.imageKey ? imageUrl(ctx.config.appUrl, i.imageKey) : null) }),
    myRole: t.field({ type: IssuerRoleEnum, nullable: true, resolve: (i, _a, ctx) => (ctx.user ? getRole(ctx, i.id, ctx.user.id) : null) }),
    badgeClasses: t.field({ type: [BadgeClassType], resolve: (i, _a, ctx) => listBadgeClasses(ctx, i.id) }),
    members: t.field({
      type: [MemberType],
      description: "Owners only; anyone else gets a FORBIDDEN error.",
      ...issuerOnly("manage-members", "Only the issuer's owners see its members."),
      resolve: async (i, _a, ctx) => {
        const members = await listIssuerMembers(ctx, i.id);
        const people = members.length
          ? await ctx.db
              .select()
              .from(users)
              .where(
                inArray(
                  users.id,
                  members.map((m) => m.userId),
                ),
              )
              .all()
          : [];
        return members.map((m) => {
          const person = people.find((p) => p.id === m.userId);
          return { userId: m.userId, role: m.role, name: person ? `${person.firstName} ${person.lastName}` : "" };
        });
      },
    }),
    awards: t.field({
      type: AwardListType,
      description: "Members only; anyone else gets a FORBIDDEN error.",
      ...issuerOnly("award", "Only the issuer's members see its awards."),
      args: {
        status: t.arg({ type: AwardStatusEnum, required: false }),
        badgeClassId: t.arg.id({ required: false }),
        recipient: t.arg.string({ required: false, description: "Part of the recipient's email." }),
        limit: t.arg.int({ required: false, defaultValue: 50 }),
        offset: t.arg.int({ required: false, defaultValue: 0 }),
      },
      resolve: (i, args, ctx) =>
        listIssuerAwards(ctx, ctx.user!, i.id, {
          status: args.status ?? null,
          badgeClassId: args.badgeClassId ? String(args.badgeClassId) : null,
          recipient: args.recipient ?? null,
          limit: Math.min(Math.max(args.limit ?? 50, 1), 200),
          offset: Math.max(args.offset ?? 0, 0),
        }),
    }),
  }),
});

BadgeClassType.implement({
  description: "A badge an issuer awards: what it means and what it takes.",
  fields: (t) => ({
    id: t.exposeID("id"),
    issuer: t.field({ type: IssuerType, resolve: (b, _a, ctx) => loadIssuer(ctx, b.issuerId) }),
    name: t.exposeString("name"),
    description: t.exposeString("description", { description: "The learning description." }),
    imageUrl: t.string({ resolve: (b, _a, ctx) => imageUrl(ctx.config.appUrl, b.imageKey) }),
    criteriaNarrative: t.exposeString("criteriaNarrative", { nullable: true, description: "Markdown." }),
    criteriaUrl: t.exposeString("criteriaUrl", { nullable: true }),
    learningOutcomes: t.exposeStringList("learningOutcomes"),
    alignments: t.field({ type: [AlignmentType], resolve: (b) => b.alignments }),
    tags: t.exposeStringList("tags"),
    achievementType: t.exposeString("achievementType"),
    validForMonths: t.exposeInt("validForMonths", { nullable: true }),
    createdAt: t.field({ type: "DateTime", resolve: (b) => b.createdAt }),
  }),
});

AwardType.implement({
  description: "A badge awarded to an email address.",
  fields: (t) => ({
    id: t.exposeID("id"),
    badgeClass: t.field({ type: BadgeClassType, resolve: (a, _x, ctx) => loadBadgeClass(ctx, a.badgeClassId) }),
    issuer: t.field({ type: IssuerType, resolve: (a, _x, ctx) => loadIssuer(ctx, a.issuerId) }),
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

const BackpackType = builder.objectRef<Awaited<ReturnType<typeof listBackpack>>>("BackpackPage").implement({
  fields: (t) => ({
    items: t.field({ type: [AwardType], resolve: (p) => p.items }),
    endCursor: t.exposeString("endCursor", { nullable: true }),
    hasNextPage: t.exposeBoolean("hasNextPage"),
  }),
});

const RowProblemType = builder.objectRef<{ line: number; field: string; message: string }>("CsvRowProblem").implement({
  fields: (t) => ({ line: t.exposeInt("line"), field: t.exposeString("field"), message: t.exposeString("message") }),
});

builder.objectType(CsvRejectedError, {
  name: "CsvRejectedError",
  interfaces: [ErrorInterface],
  fields: (t) => ({ problems: t.field({ type: [RowProblemType], resolve: (e) => e.rows }) }),
});

const BulkAwardReportType = builder.objectRef<Awaited<ReturnType<typeof bulkAward>>>("BulkAwardReport").implement({
  fields: (t) => ({
    rows: t.exposeInt("rows"),
    created: t.exposeInt("created"),
    alreadyAwarded: t.exposeInt("alreadyAwarded", { description: "Rows awarded by an earlier upload of the same data." }),
  }),
});

// ---- Inputs --------------------------------------------------------------------------------

const IssuerInput = builder.inputType("IssuerInput", {
  fields: (t) => ({
    name: t.string(),
    url: t.string(),
    email: t.string(),
    description: t.string({ required: false }),
    image: t.field({ type: "File", required: false, description: "PNG or SVG, square, 90–2048 px, at most 512 KB." }),
  }),
});

const AlignmentInput = builder.inputType("AlignmentInput", {
  fields: (t) => ({ name: t.string(), url: t.string(), code: t.string({ required: false }), framework: t.string({ required: false }) }),
});

const BadgeClassInput = builder.inputType("BadgeClassInput", {
  fields: (t) => ({
    name: t.string(),
    description: t.string(),
    image: t.field({
      type: "File",
      required: false,
      description: "Required when creating. PNG or SVG, square, 90–2048 px, at most 512 KB.",
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

// ---- Queries -------------------------------------------------------------------------------

builder.queryFields((t) => ({
  myIssuers: t.field({ type: [IssuerType], authScopes: { signedIn: true }, resolve: (_r, _a, ctx) => listMyIssuers(ctx, ctx.user!) }),
  issuer: t.field({
    type: IssuerType,
    nullable: true,
    description: "An issuer you are a member of.",
    authScopes: { signedIn: true },
    args: { id: t.arg.id() },
    resolve: async (_r, { id }, ctx) => ((await getRole(ctx, String(id), ctx.user!.id)) ? loadIssuer(ctx, String(id)) : null),
  }),
  badgeClass: t.field({
    type: BadgeClassType,
    nullable: true,
    authScopes: { signedIn: true },
    args: { id: t.arg.id() },
    resolve: async (_r, { id }, ctx) => {
      const badgeClass = await getBadgeClass(ctx, String(id));
      return badgeClass && (await getRole(ctx, badgeClass.issuerId, ctx.user!.id)) ? badgeClass : null;
    },
  }),
  backpack: t.field({
    type: BackpackType,
    description: "Badges awarded to any of your verified emails, newest first.",
    authScopes: { signedIn: true },
    args: {
      filter: t.arg({ type: BackpackFilterEnum, required: false, defaultValue: "all" }),
      includeHidden: t.arg.boolean({ required: false, defaultValue: false }),
      first: t.arg.int({ required: false, defaultValue: 24 }),
      after: t.arg.string({ required: false }),
    },
    resolve: (_r, args, ctx) =>
      listBackpack(ctx, ctx.user!, {
        filter: args.filter ?? "all",
        includeHidden: args.includeHidden ?? false,
        first: args.first ?? 24,
        after: args.after,
      }).catch((error) => {
        // A query has no result union: a bad cursor is the client's mistake, reported as such.
        if (error instanceof ValidationError) throw new GraphQLError(error.message, { extensions: { code: "BAD_USER_INPUT" } });
        throw error;
      }),
  }),
  backpackBadge: t.field({
    type: AwardType,
    nullable: true,
    authScopes: { signedIn: true },
    args: { id: t.arg.id() },
    resolve: async (_r, { id }, ctx) => {
      const award = await getOwnAward(ctx, ctx.user!, String(id));
      return award && !award.revokedAt ? award : null;
    },
  }),
}));

// ---- Mutations -----------------------------------------------------------------------------

builder.mutationFields((t) => ({
  createIssuer: t.field({
    type: IssuerType,
    description: "Creates an issuer; you become its owner.",
    authScopes: { signedIn: true },
    errors: {},
    args: { input: t.arg({ type: IssuerInput }) },
    resolve: (_r, { input }, ctx) => createIssuer(ctx, ctx.user!, input),
  }),
  updateIssuer: t.field({
    type: IssuerType,
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { id: t.arg.id(), input: t.arg({ type: IssuerInput }) },
    resolve: (_r, { id, input }, ctx) => updateIssuer(ctx, ctx.user!, String(id), input),
  }),
  setIssuerMember: t.field({
    type: IssuerType,
    description: "Adds a member by the email of their Laurel account, or changes their role. Owners only.",
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { issuerId: t.arg.id(), email: t.arg.string(), role: t.arg({ type: IssuerRoleEnum }) },
    resolve: async (_r, args, ctx) => {
      await setIssuerMember(ctx, ctx.user!, { issuerId: String(args.issuerId), email: args.email, role: args.role });
      return loadIssuer(ctx, String(args.issuerId));
    },
  }),
  removeIssuerMember: t.field({
    type: IssuerType,
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { issuerId: t.arg.id(), userId: t.arg.id() },
    resolve: async (_r, args, ctx) => {
      await removeIssuerMember(ctx, ctx.user!, { issuerId: String(args.issuerId), userId: String(args.userId) });
      return loadIssuer(ctx, String(args.issuerId));
    },
  }),
  createBadgeClass: t.field({
    type: BadgeClassType,
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { issuerId: t.arg.id(), input: t.arg({ type: BadgeClassInput }) },
    resolve: (_r, { issuerId, input }, ctx) => createBadgeClass(ctx, ctx.user!, String(issuerId), input),
  }),
  updateBadgeClass: t.field({
    type: BadgeClassType,
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { id: t.arg.id(), input: t.arg({ type: BadgeClassInput }) },
    resolve: (_r, { id, input }, ctx) => updateBadgeClass(ctx, ctx.user!, String(id), input),
  }),
  awardBadge: t.field({
    type: AwardType,
    description: "Awards a badge class to an email address and emails the recipient.",
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError, ForbiddenError, IdempotencyKeyReusedError] },
    args: {
      badgeClassId: t.arg.id(),
      input: t.arg({ type: AwardInput }),
      idempotencyKey: t.arg.string({
        required: false,
        description:
          "A fresh random key (a UUID) per award the user means to make: a retry with the same key and input returns the first award instead of a second.",
      }),
    },
    resolve: (_r, { badgeClassId, input, idempotencyKey }, ctx) =>
      awardBadge(ctx, ctx.user!, String(badgeClassId), input, idempotencyKey ?? null),
  }),
  bulkAward: t.field({
    type: BulkAwardReportType,
    description:
      "Awards a badge class to every row of a CSV (header: email, name, narrative, evidence_url, issued_on, expires_on; only email required), or to none when any row has a problem. Uploading the same rows again awards nothing twice.",
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError, ForbiddenError, CsvRejectedError] },
    args: { badgeClassId: t.arg.id(), csv: t.arg.string({ required: false }), file: t.arg({ type: "File", required: false }) },
    resolve: async (_r, args, ctx) =>
      bulkAward(ctx, ctx.user!, String(args.badgeClassId), args.file ? await args.file.text() : (args.csv ?? "")),
  }),
  revokeAward: t.field({
    type: AwardType,
    description: "Revokes an award with a reason; it leaves the recipient's backpack and they are told.",
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { awardId: t.arg.id(), reason: t.arg.string() },
    resolve: (_r, args, ctx) => revokeAward(ctx, ctx.user!, { awardId: String(args.awardId), reason: args.reason }),
  }),
  acceptBadge: t.field({
    type: AwardType,
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => setAwardVisibility(ctx, ctx.user!, String(id), "accept"),
  }),
  hideBadge: t.field({
    type: AwardType,
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => setAwardVisibility(ctx, ctx.user!, String(id), "hide"),
  }),
  showBadge: t.field({
    type: AwardType,
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => setAwardVisibility(ctx, ctx.user!, String(id), "show"),
  }),
}));
