import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { type User, users } from "../accounts/accounts.table";
import { auditInsert, auditInsertWhere } from "../audit/audit";
import { requireIssuerRole } from "../badges/issuers.service";
import type { ApiCaller, AppContext } from "../context";
import { type ApiScope, ISSUER_SCOPES, isApiScope, PERSONAL_SCOPES } from "../graphql/api-scopes";
import { inBackground } from "../http/background";
import { checkText } from "../lib/checks";
import { randomToken, sha256Hex, timingSafeEqual } from "../lib/crypto";
import { NotFoundError, Problems } from "../lib/errors";
import { newId } from "../lib/ids";
import { DAY, MINUTE } from "../lib/time";
import { requireFreshCode } from "../mfa/mfa.service";
import { type ApiToken, apiTokens } from "./api-tokens.table";

/**
 * Every token starts with this, so secret scanners (and people) recognise a leaked one:
 * `laurel_at_` and 43 base64url characters, 256 random bits.
 */
export const TOKEN_PREFIX = "laurel_at_";
const TOKEN_PATTERN = /^laurel_at_[A-Za-z0-9_-]{43}$/;
const MAX_EXPIRY_DAYS = 366;
/** Last use is written at most this often per token: a busy integration must not write on every call. */
const LAST_USED_INTERVAL_MS = MINUTE;

export interface NewApiTokenInput {
  /** The issuer the token acts for; absent for a personal token that reads the creator's backpack. */
  issuerId?: string | null;
  name: string;
  scopes: string[];
  /** Days until it stops working; absent for a token that lasts until revoked. */
  expiresInDays?: number | null;
  /** A current code from the creator's authenticator: creating a token is a step-up. */
  code: string;
}

/**
 * The distinct scopes asked for, each one a credential of its kind may have: an issuer's
 * (token or OAuth client) gets issuer scopes, a personal one `backpack:read`.
 */
export function checkScopes(problems: Problems, issuerId: string | null, raw: string[], noun: string): string[] {
  const allowed: readonly string[] = issuerId ? ISSUER_SCOPES : PERSONAL_SCOPES;
  const scopes = [...new Set(raw)];
  if (scopes.length === 0) problems.add("scopes", "Choose at least one scope.");
  const wrong = scopes.filter((s) => !isApiScope(s) || !allowed.includes(s));
  if (wrong.length > 0)
    problems.add(
      "scopes",
      `${issuerId ? "An issuer's" : "A personal"} ${noun} cannot have ${wrong.join(", ")}: choose from ${allowed.join(", ")}.`,
    );
  return scopes;
}

/** Creates a token; its secret is in the answer and nowhere else, ever. */
/**
 * A machine credential (an API token or an OAuth client) is managed by its issuer's owners, or,
 * when personal, by its creator; to anyone else it does not exist.
 */
export async function requireCredentialManager<C extends { issuerId: string | null; createdByUserId: string }>(
  ctx: AppContext,
  user: User,
  credential: C | null | undefined,
  notFound: string,
): Promise<C> {
  if (!credential || (credential.issuerId === null && credential.createdByUserId !== user.id)) throw new NotFoundError(notFound);
  if (credential.issuerId) await requireIssuerRole(ctx, user, credential.issuerId, "manage-integrations");
  return credential;
}

export async function createApiToken(ctx: AppContext, user: User, input: NewApiTokenInput): Promise<{ token: string; apiToken: ApiToken }> {
  const issuerId = input.issuerId ?? null;
  const problems = new Problems();
  const name = checkText(problems, "name", "a name that says where the token is used", input.name, 100);
  const scopes = checkScopes(problems, issuerId, input.scopes, "token");
  const days = input.expiresInDays ?? null;
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_EXPIRY_DAYS))
    problems.add("expiresInDays", `Choose between 1 and ${MAX_EXPIRY_DAYS} days, or no expiry.`);
  problems.throwIfAny();
  if (issuerId) await requireIssuerRole(ctx, user, issuerId, "manage-integrations");
  await requireFreshCode(ctx, user, input.code);

  const now = ctx.now();
  const token = `${TOKEN_PREFIX}${randomToken(32)}`;
  const row: ApiToken = {
    id: newId(),
    issuerId,
    createdByUserId: user.id,
    name,
    scopes,
    tokenHash: await sha256Hex(token),
    hint: `${TOKEN_PREFIX}…${token.slice(-4)}`,
    createdAt: new Date(now),
    expiresAt: days === null ? null : new Date(now + days * DAY),
    revokedAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
  };
  await ctx.db.batch([
    ctx.db.insert(apiTokens).values(row),
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "api-token.created",
        subjectType: issuerId ? "issuer" : "user",
        subjectId: issuerId ?? user.id,
        data: { tokenId: row.id, name, scopes, expiresAt: row.expiresAt?.toISOString() ?? null },
        ip: ctx.ip,
      },
      now,
    ),
  ]);
  return { token, apiToken: row };
}

/** An issuer's tokens, newest first (owners only). */
export async function listIssuerApiTokens(ctx: AppContext, user: User, issuerId: string): Promise<ApiToken[]> {
  await requireIssuerRole(ctx, user, issuerId, "manage-integrations");
  return ctx.db.select().from(apiTokens).where(eq(apiTokens.issuerId, issuerId)).orderBy(desc(apiTokens.createdAt)).all();
}

/** The user's personal tokens, newest first. */
export function listPersonalApiTokens(ctx: Pick<AppContext, "db">, user: User): Promise<ApiToken[]> {
  return ctx.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.createdByUserId, user.id), isNull(apiTokens.issuerId)))
    .orderBy(desc(apiTokens.createdAt))
    .all();
}

/**
 * Stops a token at once (its next request gets 401). An issuer's token is revoked by the
 * issuer's owners, a personal one by its creator. Revoking twice changes nothing and is not
 * audited twice.
 */
export async function revokeApiToken(ctx: AppContext, user: User, tokenId: string): Promise<ApiToken> {
  const existing = await requireCredentialManager(
    ctx,
    user,
    await ctx.db.query.apiTokens.findFirst({ where: eq(apiTokens.id, tokenId) }),
    "No API token with that id.",
  );
  const now = ctx.now();
  const live = and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt));
  await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: user.id,
        action: "api-token.revoked",
        subjectType: existing.issuerId ? "issuer" : "user",
        subjectId: existing.issuerId ?? user.id,
        data: { tokenId, name: existing.name },
        ip: ctx.ip,
      },
      now,
      sql`exists (select 1 from ${apiTokens} where ${live})`,
    ),
    ctx.db
      .update(apiTokens)
      .set({ revokedAt: new Date(now) })
      .where(live),
  ]);
  return (await ctx.db.query.apiTokens.findFirst({ where: eq(apiTokens.id, tokenId) }))!;
}

/**
 * Who a bearer token speaks for: one indexed D1 read of the token and its creator, or null
 * for a token that is malformed, unknown, revoked or expired, or whose creator's account is
 * no longer active.
 */
export async function authenticateApiToken(ctx: AppContext, token: string): Promise<{ caller: ApiCaller; user: User } | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const hash = await sha256Hex(token);
  const row = await ctx.db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.createdByUserId))
    .where(eq(apiTokens.tokenHash, hash))
    .get();
  const now = ctx.now();
  if (!row || !timingSafeEqual(row.token.tokenHash, hash)) return null;
  if (row.token.revokedAt || (row.token.expiresAt && row.token.expiresAt.getTime() <= now) || row.user.status !== "active") return null;
  const seen = row.token.lastUsedAt?.getTime() ?? 0;
  if (now - seen >= LAST_USED_INTERVAL_MS) {
    // Best effort, after the answer; the condition keeps concurrent calls from all writing.
    inBackground(ctx, "api token last use", () =>
      ctx.db
        .update(apiTokens)
        .set({ lastUsedAt: new Date(now), lastUsedIp: ctx.ip })
        .where(
          and(
            eq(apiTokens.id, row.token.id),
            or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now - LAST_USED_INTERVAL_MS))),
          ),
        )
        .run(),
    );
  }
  return {
    caller: { id: row.token.id, issuerId: row.token.issuerId, scopes: new Set<ApiScope>(row.token.scopes.filter(isApiScope)) },
    user: row.user,
  };
}
