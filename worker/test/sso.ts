import { inject } from "vitest";
import type { TestClient } from "./client";

const APP = "http://127.0.0.1:8787";

export interface ProviderAccount {
  email: string;
  sub?: string;
  emailVerified?: boolean;
  givenName?: string;
  familyName?: string;
  /** Microsoft only: the tenant the account belongs to. */
  tid?: string;
  /** What the person clicks on the provider's page. */
  decision?: "allow" | "deny";
  /** Changes to the ID token a real provider would never make (see tests/oidc-provider). */
  overrides?: { claims?: Record<string, unknown>; omit?: string[]; key?: "rogue" };
}

// Requests to the Worker's own fetch follow redirects unless told not to; these tests look at each hop.
export const providerUrl = () => inject("oidcProviderUrl");

/** GET /auth/sso/:provider/start; returns the provider's authorization URL it redirected to. */
export async function startSso(client: TestClient, provider = "google", query: Record<string, string> = {}): Promise<URL> {
  const response = await client.request(`/auth/sso/${provider}/start?${new URLSearchParams(query)}`, { redirect: "manual" });
  if (response.status !== 302) throw new Error(`start answered ${response.status}`);
  return new URL(response.headers.get("location")!);
}

/** Submits the provider's authorization page as a person would; returns the callback path it redirects to. */
export async function authorizeAt(authorizeUrl: URL, account: ProviderAccount): Promise<string> {
  const form = new URLSearchParams(authorizeUrl.searchParams);
  form.set("email", account.email);
  form.set("given_name", account.givenName ?? "Grace");
  form.set("family_name", account.familyName ?? "Hopper");
  if (account.emailVerified ?? true) form.set("email_verified", "true");
  if (account.sub) form.set("sub", account.sub);
  if (account.tid) form.set("tid", account.tid);
  form.set("decision", account.decision ?? "allow");
  if (account.overrides) form.set("test_overrides", JSON.stringify(account.overrides));
  const response = await fetch(`${authorizeUrl.origin}${authorizeUrl.pathname}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form,
    redirect: "manual",
  });
  await response.body?.cancel();
  const location = response.headers.get("location");
  if (response.status !== 302 || !location?.startsWith(APP)) throw new Error(`provider answered ${response.status} ${location}`);
  return location.slice(APP.length);
}

/** The whole round trip; returns where the callback sent the browser. */
export async function ssoRoundTrip(
  client: TestClient,
  account: ProviderAccount,
  options: { provider?: string; query?: Record<string, string> } = {},
): Promise<string> {
  const authorizeUrl = await startSso(client, options.provider ?? "google", options.query ?? {});
  const callback = await authorizeAt(authorizeUrl, account);
  return finishCallback(client, callback);
}

export async function finishCallback(client: TestClient, callbackPath: string): Promise<string> {
  const response = await client.request(callbackPath, { redirect: "manual" });
  if (response.status !== 302) throw new Error(`callback answered ${response.status}: ${await response.text()}`);
  return response.headers.get("location")!;
}

export const MY_SSO = "{ mySsoIdentities { id provider providerLabel email createdAt lastUsedAt } }";
export const UNLINK = `mutation ($id: ID!) {
  unlinkSsoIdentity(id: $id) { __typename ... on SsoIdentityUnlinked { id } ... on Error { message } }
}`;
