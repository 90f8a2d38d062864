import { and, eq } from "drizzle-orm";
import { getUserByEmail } from "../accounts/accounts.service";
import type { User } from "../accounts/accounts.table";
import { normalizeEmail } from "../accounts/validation";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { ForbiddenError, NotFoundError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { checkText, checkUrl } from "./checks";
import { uploadImage } from "./images";
import { type Issuer, type IssuerRole, issuerMembers, issuers } from "./issuers.table";

/** What each role may do; owners can do everything. */
const ALLOWED: Record<"award" | "edit" | "revoke" | "manage-members" | "manage-keys", IssuerRole[]> = {
  award: ["owner", "editor", "awarder"],
  revoke: ["owner", "editor"],
  edit: ["owner", "editor"],
  "manage-members": ["owner"],
  "manage-keys": ["owner"],
};
export type IssuerAction = keyof typeof ALLOWED;

export async function getIssuer(ctx: Pick<AppContext, "db">, id: string): Promise<Issuer | null> {
  return (await ctx.db.query.issuers.findFirst({ where: eq(issuers.id, id) })) ?? null;
}

export async function getRole(ctx: Pick<AppContext, "db">, issuerId: string, userId: string): Promise<IssuerRole | null> {
  const row = await ctx.db.query.issuerMembers.findFirst({
    where: and(eq(issuerMembers.issuerId, issuerId), eq(issuerMembers.userId, userId)),
  });
  return row?.role ?? null;
}

/** The issuer, if `user` may do `action` for it; NotFoundError for strangers, ForbiddenError for members without the role. */
export async function requireIssuerRole(ctx: Pick<AppContext, "db">, user: User, issuerId: string, action: IssuerAction): Promise<Issuer> {
  const [issuer, role] = await Promise.all([getIssuer(ctx, issuerId), getRole(ctx, issuerId, user.id)]);
  if (!issuer || !role) throw new NotFoundError("No issuer with that id, or you are not one of its members.");
  if (!ALLOWED[action].includes(role)) throw new ForbiddenError(`Your role (${role}) cannot do that for ${issuer.name}.`);
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

/** Adds or changes a member by the email of their Laurel account. */
export async function setIssuerMember(ctx: AppContext, user: User, input: { issuerId: string; email: string; role: IssuerRole }) {
  await requireIssuerRole(ctx, user, input.issuerId, "manage-members");
  const member = await getUserByEmail(ctx, normalizeEmail(input.email));
  if (!member) throw ValidationError.field("email", "No Laurel account uses that email. Ask them to register first.");
  if (member.id === user.id && input.role !== "owner") await requireAnotherOwner(ctx, input.issuerId, user.id);
  const now = ctx.now();
  await ctx.db.batch([
    ctx.db
      .insert(issuerMembers)
      .values({ issuerId: input.issuerId, userId: member.id, role: input.role, createdAt: new Date(now) })
      .onConflictDoUpdate({ target: [issuerMembers.issuerId, issuerMembers.userId], set: { role: input.role } }),
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "issuer.member-set",
        subjectType: "issuer",
        subjectId: input.issuerId,
        data: { userId: member.id, role: input.role },
        ip: ctx.ip,
      },
      now,
    ),
  ]);
}

export async function removeIssuerMember(ctx: AppContext, user: User, input: { issuerId: string; userId: string }) {
  await requireIssuerRole(ctx, user, input.issuerId, "manage-members");
  if ((await getRole(ctx, input.issuerId, input.userId)) === "owner") await requireAnotherOwner(ctx, input.issuerId, input.userId);
  const now = ctx.now();
  await ctx.db.batch([
    ctx.db.delete(issuerMembers).where(and(eq(issuerMembers.issuerId, input.issuerId), eq(issuerMembers.userId, input.userId))),
    auditInsert(
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
    ),
  ]);
}

async function requireAnotherOwner(ctx: Pick<AppContext, "db">, issuerId: string, leavingUserId: string) {
  const owners = await ctx.db
    .select()
    .from(issuerMembers)
    .where(and(eq(issuerMembers.issuerId, issuerId), eq(issuerMembers.role, "owner")))
    .all();
  if (!owners.some((o) => o.userId !== leavingUserId))
    throw ValidationError.field("role", "An issuer needs at least one owner. Make someone else owner first.");
}

export async function listIssuerMembers(ctx: Pick<AppContext, "db">, issuerId: string) {
  return ctx.db.select().from(issuerMembers).where(eq(issuerMembers.issuerId, issuerId)).all();
}
