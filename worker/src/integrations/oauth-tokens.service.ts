import { and, eq, isNull, lt } from "drizzle-orm";
import { type User, users } from "../accounts/accounts.table";
import type { ApiCaller, AppContext } from "../context";
import { type ApiScope, isApiScope } from "../graphql/api-scopes";
import { randomToken, sha256Hex, timingSafeEqual } from "../lib/crypto";
import { SECOND } from "../lib/time";
import { pauseDuration, reserveAttempt, settleSuccessStatements } from "../throttling/guard";
import { clientSecretKeys } from "../throttling/policies";
import { CLIENT_ID_PREFIX, CLIENT_SECRET_PREFIX } from "./oauth-clients.service";
import { oauthAccessTokens, oauthClients } from "./oauth-clients.table";

/** Access tokens from the token endpoint: told apart from API tokens by the prefix alone, before any read. */
export const ACCESS_TOKEN_PREFIX = "laurel_oat_";
const ACCESS_TOKEN_PATTERN = /^laurel_oat_[A-Za-z0-9_-]{43}$/;
const CLIENT_ID_PATTERN = new RegExp(`^${CLIENT_ID_PREFIX}[A-Za-z0-9_-]{22}$`);
const CLIENT_SECRET_PATTERN = new RegExp(`^${CLIENT_SECRET_PREFIX}[A-Za-z0-9_-]{43}$`);
/** An hour: long enough that an integration asks rarely, short enough that a leaked token soon dies. */
export const ACCESS_TOKEN_LIFETIME_S = 3600;

/** RFC 6749 §5.1, the successful answer. */
export interface AccessTokenResponse {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
}

/** RFC 6749 §5.2, an error answer, with the HTTP status it goes with. */
export interface TokenError {
  status: 400 | 401 | 429;
  error: "invalid_request" | "invalid_client" | "invalid_scope" | "unsupported_grant_type" | "temporarily_unavailable";
  description: string;
  retryAfterSeconds?: number;
}

const invalidClient: TokenError = {
  status: 401,
  error: "invalid_client",
  description: "Client authentication failed: the client_id or client_secret is wrong, or the client was deleted.",
};

/**
 * The client credentials grant (RFC 6749 §4.4): a client that proves its secret gets a fresh
 * access token for the scopes it asks for (all of its own when it names none). An attempt is
 * reserved before the secret is compared, so guesses are counted in D1 however many arrive at
 * once; a right secret hands its attempt back in the batch that writes the token.
 */
export async function grantClientCredentials(
  ctx: AppContext,
  input: { clientId: string; clientSecret: string; scope: string | null },
): Promise<AccessTokenResponse | TokenError> {
  // A malformed id or secret can never match, so there is nothing to guess and nothing to count.
  if (!CLIENT_ID_PATTERN.test(input.clientId) || !CLIENT_SECRET_PATTERN.test(input.clientSecret)) return invalidClient;
  const now = ctx.now();
  const reservation = await reserveAttempt(ctx.db, clientSecretKeys(input.clientId, ctx.ip), now);
  if (!reservation.granted) {
    return {
      status: 429,
      error: "temporarily_unavailable",
      description: reservation.refusedBy.slot.policy.pausedMessage(pauseDuration(reservation.retryAfterMs)),
      retryAfterSeconds: Math.ceil(reservation.retryAfterMs / SECOND),
    };
  }
  const hash = await sha256Hex(input.clientSecret);
  const row = await ctx.db
    .select({ client: oauthClients, user: users })
    .from(oauthClients)
    .innerJoin(users, eq(users.id, oauthClients.createdByUserId))
    .where(eq(oauthClients.id, input.clientId))
    .get();
  if (!row || !timingSafeEqual(row.client.secretHash, hash) || row.client.deletedAt || row.user.status !== "active") return invalidClient;

  const settle = settleSuccessStatements(ctx.db, reservation);
  const asked = input.scope === null ? row.client.scopes : [...new Set(input.scope.split(" ").filter((s) => s !== ""))];
  const outside = asked.filter((s) => !row.client.scopes.includes(s));
  if (asked.length === 0 || outside.length > 0) {
    const [first, ...rest] = settle;
    if (first) await ctx.db.batch([first, ...rest]);
    return {
      status: 400,
      error: "invalid_scope",
      description:
        outside.length > 0
          ? `This client cannot have ${outside.join(", ")}: ask for some of ${row.client.scopes.join(" ")}.`
          : "Ask for at least one scope, or leave scope out for all of the client's.",
    };
  }

  const token = `${ACCESS_TOKEN_PREFIX}${randomToken(32)}`;
  await ctx.db.batch([
    ctx.db
      .delete(oauthAccessTokens)
      .where(and(eq(oauthAccessTokens.clientId, row.client.id), lt(oauthAccessTokens.expiresAt, new Date(now)))),
    ctx.db.insert(oauthAccessTokens).values({
      tokenHash: await sha256Hex(token),
      clientId: row.client.id,
      scopes: asked,
      createdAt: new Date(now),
      expiresAt: new Date(now + ACCESS_TOKEN_LIFETIME_S * SECOND),
    }),
    ctx.db
      .update(oauthClients)
      .set({ lastTokenAt: new Date(now), lastTokenIp: ctx.ip })
      .where(and(eq(oauthClients.id, row.client.id), isNull(oauthClients.deletedAt))),
    ...settle,
  ]);
  return { access_token: token, token_type: "Bearer", expires_in: ACCESS_TOKEN_LIFETIME_S, scope: asked.join(" ") };
}

/**
 * Who an access token speaks for: one indexed D1 read of the token, its client and the
 * client's creator, or null for a token that is malformed, unknown or expired, of a deleted
 * client, or whose creator's account is no longer active.
 */
export async function authenticateOAuthAccessToken(ctx: AppContext, token: string): Promise<{ caller: ApiCaller; user: User } | null> {
  if (!ACCESS_TOKEN_PATTERN.test(token)) return null;
  const hash = await sha256Hex(token);
  const row = await ctx.db
    .select({ token: oauthAccessTokens, client: oauthClients, user: users })
    .from(oauthAccessTokens)
    .innerJoin(oauthClients, eq(oauthClients.id, oauthAccessTokens.clientId))
    .innerJoin(users, eq(users.id, oauthClients.createdByUserId))
    .where(eq(oauthAccessTokens.tokenHash, hash))
    .get();
  if (!row || !timingSafeEqual(row.token.tokenHash, hash)) return null;
  if (row.client.deletedAt || row.token.expiresAt.getTime() <= ctx.now() || row.user.status !== "active") return null;
  return {
    caller: { id: row.client.id, issuerId: row.client.issuerId, scopes: new Set<ApiScope>(row.token.scopes.filter(isApiScope)) },
    user: row.user,
  };
}
