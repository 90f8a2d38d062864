import { and, asc, eq, exists, isNotNull, ne, or, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { users } from "../accounts/accounts.table";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { newId } from "../lib/ids";
import type { IdClaims } from "./oidc";
import { type SsoIdentity, ssoIdentities } from "./sso.table";

export async function findIdentity(ctx: Pick<AppContext, "db">, issuer: string, subject: string): Promise<SsoIdentity | null> {
  return (
    (await ctx.db.query.ssoIdentities.findFirst({ where: and(eq(ssoIdentities.issuer, issuer), eq(ssoIdentities.subject, subject)) })) ??
    null
  );
}

export function listIdentities(ctx: Pick<AppContext, "db">, userId: string): Promise<SsoIdentity[]> {
  return ctx.db.select().from(ssoIdentities).where(eq(ssoIdentities.userId, userId)).orderBy(asc(ssoIdentities.createdAt)).all();
}

/** The insert, unexecuted, so it shares a batch with the account it belongs to and the audit entry. */
export function identityInsert(ctx: Pick<AppContext, "db">, userId: string, provider: string, claims: IdClaims, now: number) {
  return ctx.db.insert(ssoIdentities).values({
    id: newId(),
    userId,
    provider,
    issuer: claims.issuer,
    subject: claims.subject,
    email: claims.email,
    emailVerified: claims.emailVerified,
    createdAt: new Date(now),
    lastUsedAt: new Date(now),
  });
}

/** Inserts the identity for `userId` with an audit entry of `action`, and `also` (an outbox intent) in the same batch. */
export async function linkIdentity(
  ctx: AppContext,
  userId: string,
  provider: string,
  claims: IdClaims,
  action: string,
  also: BatchItem<"sqlite">[] = [],
) {
  const now = ctx.now();
  await ctx.db.batch([
    identityInsert(ctx, userId, provider, claims, now),
    ...also,
    auditInsert(
      ctx.db,
      {
        actorUserId: userId,
        action,
        subjectType: "user",
        subjectId: userId,
        data: { provider, issuer: claims.issuer, subject: claims.subject, email: claims.email },
        ip: ctx.ip,
      },
      now,
    ),
  ]);
}

/** The provider's latest address is kept for display; it never decides who signs in. */
export async function touchIdentity(ctx: AppContext, identity: SsoIdentity, claims: IdClaims) {
  await ctx.db
    .update(ssoIdentities)
    .set({ email: claims.email, emailVerified: claims.emailVerified, lastUsedAt: new Date(ctx.now()) })
    .where(eq(ssoIdentities.id, identity.id));
}

/**
 * Deletes the identity unless it is the user's last way to sign in (no password, no other
 * identity). One statement decides, so two racing unlinks cannot both remove the last two.
 */
export async function deleteIdentityIfNotLast(ctx: AppContext, userId: string, identityId: string): Promise<SsoIdentity | null> {
  const others = ctx.db
    .select({ one: sql`1` })
    .from(ssoIdentities)
    .where(and(eq(ssoIdentities.userId, userId), ne(ssoIdentities.id, identityId)));
  const withPassword = ctx.db
    .select({ one: sql`1` })
    .from(users)
    .where(and(eq(users.id, userId), isNotNull(users.passwordHash)));
  const [deleted] = await ctx.db
    .delete(ssoIdentities)
    .where(and(eq(ssoIdentities.id, identityId), eq(ssoIdentities.userId, userId), or(exists(withPassword), exists(others))))
    .returning();
  return deleted ?? null;
}
