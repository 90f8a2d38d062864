import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import { auditInsert, auditInsertWhere } from "../audit/audit";
import { requireIssuerRole } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { checkText } from "../lib/checks";
import { randomToken, sha256Hex } from "../lib/crypto";
import { Problems } from "../lib/errors";
import { requireFreshCode } from "../mfa/mfa.service";
import { checkScopes, requireCredentialManager } from "./api-tokens.service";
import { type OAuthClient, oauthAccessTokens, oauthClients } from "./oauth-clients.table";

/** Public, but unguessable all the same, so a client id says nothing about how many there are. */
export const CLIENT_ID_PREFIX = "laurel_ci_";
/** The secret: 256 random bits behind a prefix secret scanners can look for. */
export const CLIENT_SECRET_PREFIX = "laurel_cs_";

export interface NewOAuthClientInput {
  /** The issuer its tokens act for; absent for a client that reads the creator's backpack. */
  issuerId?: string | null;
  name: string;
  scopes: string[];
  /** A current code from the creator's authenticator: registering a client is a step-up. */
  code: string;
}

/** Registers a client; its secret is in the answer and nowhere else, ever. */
export async function createOAuthClient(
  ctx: AppContext,
  user: User,
  input: NewOAuthClientInput,
): Promise<{ clientSecret: string; client: OAuthClient }> {
  const issuerId = input.issuerId ?? null;
  const problems = new Problems();
  const name = checkText(problems, "name", "a name that says which system uses the client", input.name, 100);
  const scopes = checkScopes(problems, issuerId, input.scopes, "OAuth client");
  problems.throwIfAny();
  if (issuerId) await requireIssuerRole(ctx, user, issuerId, "manage-integrations");
  await requireFreshCode(ctx, user, input.code);

  const now = ctx.now();
  const clientSecret = `${CLIENT_SECRET_PREFIX}${randomToken(32)}`;
  const client: OAuthClient = {
    id: `${CLIENT_ID_PREFIX}${randomToken(16)}`,
    issuerId,
    createdByUserId: user.id,
    name,
    scopes,
    secretHash: await sha256Hex(clientSecret),
    secretHint: `${CLIENT_SECRET_PREFIX}…${clientSecret.slice(-4)}`,
    createdAt: new Date(now),
    deletedAt: null,
    lastTokenAt: null,
    lastTokenIp: null,
  };
  await ctx.db.batch([
    ctx.db.insert(oauthClients).values(client),
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "oauth-client.created",
        subjectType: issuerId ? "issuer" : "user",
        subjectId: issuerId ?? user.id,
        data: { clientId: client.id, name, scopes },
        ip: ctx.ip,
      },
      now,
    ),
  ]);
  return { clientSecret, client };
}

/** An issuer's live clients, newest first (owners only). */
export async function listIssuerOAuthClients(ctx: AppContext, user: User, issuerId: string): Promise<OAuthClient[]> {
  await requireIssuerRole(ctx, user, issuerId, "manage-integrations");
  return ctx.db
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.issuerId, issuerId), isNull(oauthClients.deletedAt)))
    .orderBy(desc(oauthClients.createdAt))
    .all();
}

/** The user's own live clients (for their backpack), newest first. */
export function listPersonalOAuthClients(ctx: Pick<AppContext, "db">, user: User): Promise<OAuthClient[]> {
  return ctx.db
    .select()
    .from(oauthClients)
    .where(and(eq(oauthClients.createdByUserId, user.id), isNull(oauthClients.issuerId), isNull(oauthClients.deletedAt)))
    .orderBy(desc(oauthClients.createdAt))
    .all();
}

/**
 * Deletes a client: it gets no new tokens, and the tokens it has stop at their next request
 * (their rows go in the same batch). Deleting twice changes nothing and is audited once.
 */
export async function deleteOAuthClient(ctx: AppContext, user: User, clientId: string): Promise<OAuthClient> {
  const found = await ctx.db.query.oauthClients.findFirst({ where: eq(oauthClients.id, clientId) });
  const existing = await requireCredentialManager(ctx, user, found?.deletedAt ? null : found, "No OAuth client with that id.");
  const now = ctx.now();
  const live = and(eq(oauthClients.id, clientId), isNull(oauthClients.deletedAt));
  await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: user.id,
        action: "oauth-client.deleted",
        subjectType: existing.issuerId ? "issuer" : "user",
        subjectId: existing.issuerId ?? user.id,
        data: { clientId, name: existing.name },
        ip: ctx.ip,
      },
      now,
      sql`exists (select 1 from ${oauthClients} where ${live})`,
    ),
    ctx.db
      .update(oauthClients)
      .set({ deletedAt: new Date(now) })
      .where(live),
    ctx.db.delete(oauthAccessTokens).where(eq(oauthAccessTokens.clientId, clientId)),
  ]);
  return (await ctx.db.query.oauthClients.findFirst({ where: eq(oauthClients.id, clientId) }))!;
}
