import { and, asc, eq, inArray, ne, or, type SQL, sql } from "drizzle-orm";
import { type User, users } from "../accounts/accounts.table";
import { auditInsert, auditInsertWhere } from "../audit/audit";
import type { ApiCaller, AppContext } from "../context";
import { rowExists } from "../db/conditional";
import { inSlices } from "../db/limits";
import { checkText, checkUrl } from "../lib/checks";
import { normalizeEmail } from "../lib/email-address";
import { ForbiddenError, NotFoundError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { uploadImage } from "../lib/images";
import { type Issuer, type IssuerRole, issuerMembers, issuers } from "./issuers.table";

/** What each role may do; owners can do everything. */
const ALLOWED: Record<"award" | "edit" | "revoke" | "review" | "manage-members" | "manage-keys" | "manage-integrations", IssuerRole[]> = {
  award: ["owner", "editor", "awarder"],
  revoke: ["owner", "editor"],
  edit: ["owner", "editor"],
  // Assessors decide submissions (a pass awards through the submission), but never award directly.
  review: ["owner", "assessor"],
  "manage-members": ["owner"],
  "manage-keys": ["owner"],
  "manage-integrations": ["owner"],
};
export type IssuerAction = keyof typeof ALLOWED;

export const roleAllows = (role: IssuerRole | null, action: IssuerAction): boolean => role !== null && ALLOWED[action].includes(role);

export async function getIssuer(ctx: Pick<AppContext, "db">, id: string): Promise<Issuer | null> {
  return (await ctx.db.query.issuers.findFirst({ where: eq(issuers.id, id) })) ?? null;
}

/** Issuers by id, in no particular order; unknown ids are left out. */
export function getIssuers(ctx: Pick<AppContext, "db">, ids: readonly string[]): Promise<Issuer[]> {
  return inSlices(ids, (slice) => ctx.db.select().from(issuers).where(inArray(issuers.id, slice)).all());
}

/** The user's role in each of these issuers, for those they are a member of. */
export async function rolesOf(ctx: Pick<AppContext, "db">, userId: string, issuerIds: readonly string[]): Promise<Map<string, IssuerRole>> {
  const rows = await inSlices(issuerIds, (slice) =>
    ctx.db
      .select({ issuerId: issuerMembers.issuerId, role: issuerMembers.role })
      .from(issuerMembers)
      .where(and(eq(issuerMembers.userId, userId), inArray(issuerMembers.issuerId, slice)))
      .all(),
  );
  return new Map(rows.map((r) => [r.issuerId, r.role]));
}

export async function getRole(ctx: Pick<AppContext, "db">, issuerId: string, userId: string): Promise<IssuerRole | null> {
  const row = await ctx.db.query.issuerMembers.findFirst({
    where: and(eq(issuerMembers.issuerId, issuerId), eq(issuerMembers.userId, userId)),
  });
  return row?.role ?? null;
}

/** The issuer, if `user` may do `action` for it; NotFoundError for strangers, ForbiddenError for members without the role. */
/** An issuer's API token acts for that issuer alone, whatever else its creator may do. */
export const outsideToken = (ctx: { apiToken?: ApiCaller | null }, issuerId: string): boolean =>
  ctx.apiToken != null && ctx.apiToken.issuerId !== issuerId;

export async function requireIssuerRole(
  ctx: Pick<AppContext, "db"> & { apiToken?: ApiCaller | null },
  user: User,
  issuerId: string,
  action: IssuerAction,
): Promise<Issuer> {
  if (outsideToken(ctx, issuerId)) throw new NotFoundError("No issuer with that id, or you are not one of its members.");
  const [issuer, role] = await Promise.all([getIssuer(ctx, issuerId), getRole(ctx, issuerId, user.id)]);
  if (!issuer || !role) throw new NotFoundError("No issuer with that id, or you are not one of its members.");
  if (!roleAllows(role, action)) throw new ForbiddenError(`Your role (${role}) cannot do that for ${issuer.name}.`);
  return issuer;
}

export async function listMyIssuers(ctx: Pick<AppContext, "db">, user: User): Promise<(Issuer & { role: IssuerRole })[]> {
  const rows = await ctx.db
    .select({ issuer: issuers, role: issuerMembers.role })
    .from(issuerMembers)
    .innerJoin(issuers, eq(issuers.id, issuerMembers.issuerId))
    .where(eq(issuerMembers.userId, user.id))
    .all();
  return rows.map((r) => ({ ...r.issuer, role: r.role })).sort((a, b) => a.name.localeCompare(b.name));
}

export interface IssuerInput {
  name: string;
  url: string;
  email: string;
  description?: string | null;
  image?: File | null;
}

function checkIssuer(input: IssuerInput) {
  const problems = new Problems();
  const name = checkText(problems, "name", "the organisation's name", input.name, 200);
  const url = checkUrl(problems, "url", input.url, true);
  const email = normalizeEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.add("email", "Enter a contact email, like badges@example.org.");
  const description = checkText(problems, "description", "a description", input.description, 2000, false);
  problems.throwIfAny();
  return { name, url: url!, email, description };
}

/** Anyone signed in may create an issuer and becomes its owner. */
export async function createIssuer(ctx: AppContext, user: User, input: IssuerInput): Promise<Issuer> {
  const values = checkIssuer(input);
  const imageKey = input.image ? await uploadImage(ctx, "image", "issuers", input.image) : null;
  const now = ctx.now();
  const id = newId();
  const [created] = await ctx.db.batch([
    ctx.db
      .insert(issuers)
      .values({ id, ...values, imageKey, createdAt: new Date(now), updatedAt: new Date(now) })
      .returning(),
    ctx.db.insert(issuerMembers).values({ issuerId: id, userId: user.id, role: "owner", createdAt: new Date(now) }),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "issuer.created", subjectType: "issuer", subjectId: id, data: values, ip: ctx.ip },
      now,
    ),
  ]);
  return created[0]!;
}

export async function updateIssuer(ctx: AppContext, user: User, id: string, input: IssuerInput): Promise<Issuer> {
  await requireIssuerRole(ctx, user, id, "edit");
  const values = checkIssuer(input);
  const imageKey = input.image ? await uploadImage(ctx, "image", "issuers", input.image) : undefined;
  const now = ctx.now();
  const [updated] = await ctx.db.batch([
    ctx.db
      .update(issuers)
      .set({ ...values, ...(imageKey ? { imageKey } : {}), updatedAt: new Date(now) })
      .where(eq(issuers.id, id))
      .returning(),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "issuer.updated", subjectType: "issuer", subjectId: id, data: values, ip: ctx.ip },
      now,
    ),
  ]);
  return updated[0]!;
}

const membership = (issuerId: string, userId: string) => and(eq(issuerMembers.issuerId, issuerId), eq(issuerMembers.userId, userId));

/**
 * The condition under which a member's row may change to `newRole` (null: removed): it may
 * always stay or become owner, and otherwise must not be the last owner. Decided in the
 * statement, so two owners demoting each other at once cannot both succeed.
 */
function keepsAnOwner(ctx: Pick<AppContext, "db">, issuerId: string, userId: string, newRole: IssuerRole | null): SQL | undefined {
  if (newRole === "owner") return undefined;
  const anotherOwner = rowExists(
    ctx.db,
    issuerMembers,
    and(eq(issuerMembers.issuerId, issuerId), eq(issuerMembers.role, "owner"), ne(issuerMembers.userId, userId)),
  );
  return or(ne(issuerMembers.role, "owner"), anotherOwner);
}

const LAST_OWNER = "An issuer needs at least one owner. Make someone else owner first.";

/** Changes an existing member's role; the same role again changes (and audits) nothing. */
export async function setIssuerMemberRole(ctx: AppContext, user: User, input: { issuerId: string; userId: string; role: IssuerRole }) {
  await requireIssuerRole(ctx, user, input.issuerId, "manage-members");
  const guard = and(
    membership(input.issuerId, input.userId),
    ne(issuerMembers.role, input.role),
    keepsAnOwner(ctx, input.issuerId, input.userId, input.role),
  );
  const now = ctx.now();
  const [, updated] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: user.id,
        action: "issuer.member-set",
        subjectType: "issuer",
        subjectId: input.issuerId,
        data: { userId: input.userId, role: input.role },
        ip: ctx.ip,
      },
      now,
      rowExists(ctx.db, issuerMembers, guard),
    ),
    ctx.db.update(issuerMembers).set({ role: input.role }).where(guard).returning(),
  ]);
  if (updated[0]) return;
  const current = await getRole(ctx, input.issuerId, input.userId);
  if (current === null) throw new NotFoundError("That person is not a member of this issuer.");
  if (current !== input.role) throw ValidationError.field("role", LAST_OWNER);
}

export async function removeIssuerMember(ctx: AppContext, user: User, input: { issuerId: string; userId: string }) {
  await requireIssuerRole(ctx, user, input.issuerId, "manage-members");
  const guard = and(membership(input.issuerId, input.userId), keepsAnOwner(ctx, input.issuerId, input.userId, null));
  const now = ctx.now();
  const [, deleted] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: user.id,
        action: "issuer.member-removed",
        subjectType: "issuer",
        subjectId: input.issuerId,
        data: { userId: input.userId },
        ip: ctx.ip,
      },
      now,
      rowExists(ctx.db, issuerMembers, guard),
    ),
    ctx.db.delete(issuerMembers).where(guard).returning(),
  ]);
  if (deleted[0]) return;
  if ((await getRole(ctx, input.issuerId, input.userId)) === null) throw new NotFoundError("That person is not a member of this issuer.");
  throw ValidationError.field("role", LAST_OWNER);
}

export interface MemberListing {
  issuerId: string;
  userId: string;
  role: IssuerRole;
  name: string;
}

/** The members of these issuers with their names, oldest membership first. */
export function listMembersOfIssuers(ctx: Pick<AppContext, "db">, issuerIds: readonly string[]): Promise<MemberListing[]> {
  return inSlices(issuerIds, (slice) =>
    ctx.db
      .select({
        issuerId: issuerMembers.issuerId,
        userId: issuerMembers.userId,
        role: issuerMembers.role,
        name: sql<string>`${users.firstName} || ' ' || ${users.lastName}`,
      })
      .from(issuerMembers)
      .innerJoin(users, eq(users.id, issuerMembers.userId))
      .where(inArray(issuerMembers.issuerId, slice))
      .orderBy(asc(issuerMembers.createdAt), asc(issuerMembers.userId))
      .all(),
  );
}
