import { env, exports } from "cloudflare:workers";
import { randomToken, sha256Hex } from "../src/lib/crypto";
import type { GraphQLAnswer } from "./client";

const ERRORS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";

export const CREATE_TOKEN = `mutation ($input: ApiTokenInput!) {
  createApiToken(input: $input) { ${ERRORS} ... on ApiTokenCreated { token apiToken { id name scopes hint status expiresAt lastUsedAt } } }
}`;
export const REVOKE_TOKEN = `mutation ($id: ID!) { revokeApiToken(id: $id) { ${ERRORS} ... on ApiToken { id status revokedAt } } }`;

/** A machine's request: the token and nothing else, no CSRF header, from a server's address. */
export async function bearerRequest(
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return exports.default.fetch(
    new Request("http://127.0.0.1:8787/graphql", {
      method: "POST",
      // Each call from its own address unless told, so tests do not share the per-address limit.
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "cf-connecting-ip": randomIp(), ...headers },
      body: JSON.stringify({ query, variables }),
    }),
  );
}

const randomIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

export async function bearerGql<T = any>(
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLAnswer<T>> {
  const response = await bearerRequest(token, query, variables, headers);
  return (await response.json()) as GraphQLAnswer<T>;
}

/**
 * A token written straight to D1, for tests about what a token may do rather than how it is
 * made (making one is a step-up, and an authenticator code works once).
 */
export async function insertApiToken(input: {
  userId: string;
  issuerId?: string | null;
  scopes: string[];
  expiresAt?: number | null;
  lastUsedAt?: number;
}) {
  const token = `laurel_at_${randomToken(32)}`;
  const id = crypto.randomUUID();
  await env.DB.prepare(
    "insert into api_tokens (id, issuer_id, created_by_user_id, name, scopes, token_hash, hint, created_at, expires_at, last_used_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(
      id,
      input.issuerId ?? null,
      input.userId,
      "test",
      JSON.stringify(input.scopes),
      await sha256Hex(token),
      "laurel_at_…test",
      Date.now(),
      input.expiresAt ?? null,
      input.lastUsedAt ?? null,
    )
    .run();
  return { id, token };
}

export const CREATE_OAUTH_CLIENT = `mutation ($input: OAuthClientInput!) {
  createOAuthClient(input: $input) { ${ERRORS} ... on OAuthClientCreated { clientId clientSecret client { id name scopes secretHint } } }
}`;
export const DELETE_OAUTH_CLIENT = `mutation ($id: ID!) { deleteOAuthClient(id: $id) { ${ERRORS} ... on OAuthClient { id deletedAt } } }`;

/** An OAuth client written straight to D1, for tests of the token endpoint rather than of registering. */
export async function insertOAuthClient(input: { userId: string; issuerId?: string | null; scopes: string[] }) {
  const clientId = `laurel_ci_${randomToken(16)}`;
  const clientSecret = `laurel_cs_${randomToken(32)}`;
  await env.DB.prepare(
    "insert into oauth_clients (id, issuer_id, created_by_user_id, name, scopes, secret_hash, secret_hint, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(
      clientId,
      input.issuerId ?? null,
      input.userId,
      "test",
      JSON.stringify(input.scopes),
      await sha256Hex(clientSecret),
      "laurel_cs_…test",
      Date.now(),
    )
    .run();
  return { clientId, clientSecret };
}

/** A request to the token endpoint, form-encoded as RFC 6749 says, from its own address unless told. */
export function tokenRequest(form: Record<string, string>, headers: Record<string, string> = {}) {
  return exports.default.fetch(
    new Request("http://127.0.0.1:8787/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": randomIp(), ...headers },
      body: new URLSearchParams(form),
    }),
  );
}

export const basicAuth = (clientId: string, clientSecret: string) => ({
  authorization: `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`)}`,
});
