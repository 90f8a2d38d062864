import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  basicAuth,
  bearerGql,
  bearerRequest,
  CREATE_OAUTH_CLIENT,
  DELETE_OAUTH_CLIENT,
  insertOAuthClient,
  tokenRequest,
} from "../../test/api-tokens";
import { issuerWithBadgeClass } from "../../test/badges";
import { TestClient, uniqueEmail } from "../../test/client";
import { countingContext } from "../../test/counting";
import { createUser, signInAs } from "../../test/fixtures";
import { enrolAuthenticator, totp } from "../../test/mfa";
import { sha256Hex } from "../lib/crypto";
import { attachApiCaller } from "./bearer-caller";

const AWARD = `mutation ($badgeClassId: ID!, $email: String!) {
  awardBadge(badgeClassId: $badgeClassId, input: { email: $email }) { __typename ... on Award { id recipientEmail } }
}`;
const ISSUER = "query ($id: ID!) { issuer(id: $id) { id name } }";

async function ownerWithIssuer() {
  const owner = await createUser();
  const { secret } = await enrolAuthenticator(owner);
  const client = new TestClient();
  await signInAs(client, owner);
  const { issuer, badgeClass } = await issuerWithBadgeClass(client);
  return { owner, secret, client, issuer, badgeClass };
}

async function tokenOf(response: Response): Promise<string> {
  const body = (await response.json()) as any;
  if (response.status !== 200) throw new Error(`token endpoint: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

describe("OAuth clients", () => {
  it("are registered with a fresh authenticator code, shown once and stored only as a hash", async () => {
    const { owner, secret, client, issuer } = await ownerWithIssuer();
    const attempt = async (input: Record<string, unknown>) =>
      (
        await client.gql(CREATE_OAUTH_CLIENT, {
          input: { issuerId: issuer.id, name: "HR", scopes: ["awards:read"], code: totp(secret), ...input },
        })
      ).createOAuthClient;
    expect((await attempt({ scopes: ["backpack:read"] })).fieldErrors[0].field).toBe("scopes");
    expect((await attempt({ code: "000000" })).__typename).toBe("InvalidCodeError");
    const created = await attempt({ scopes: ["awards:read", "issuer:read"] });
    expect(created.__typename).toBe("OAuthClientCreated");
    expect(created.clientId).toMatch(/^laurel_ci_[A-Za-z0-9_-]{22}$/);
    expect(created.clientSecret).toMatch(/^laurel_cs_[A-Za-z0-9_-]{43}$/);
    expect(created.client.secretHint).toBe(`laurel_cs_…${created.clientSecret.slice(-4)}`);

    const row = await env.DB.prepare("select * from oauth_clients where id = ?").bind(created.clientId).first<Record<string, unknown>>();
    expect(row?.secret_hash).toBe(await sha256Hex(created.clientSecret));
    expect(Object.values(row ?? {})).not.toContain(created.clientSecret);
    const listed = await client.gql("query ($id: ID!) { issuer(id: $id) { oauthClients { id name secretHint } } }", { id: issuer.id });
    expect(listed.issuer.oauthClients).toEqual([{ id: created.clientId, name: "HR", secretHint: created.client.secretHint }]);
    expect(JSON.stringify(listed)).not.toContain(created.clientSecret);
    const audit = await env.DB.prepare("select count(*) as n from audit_log where action = 'oauth-client.created' and actor_user_id = ?")
      .bind(owner.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("get tokens with client_secret_basic or client_secret_post that award through the bearer path, narrowed to the scopes asked for", async () => {
    const { owner, issuer, badgeClass } = await ownerWithIssuer();
    const { clientId, clientSecret } = await insertOAuthClient({
      userId: owner.id,
      issuerId: issuer.id,
      scopes: ["awards:write", "issuer:read"],
    });

    const basic = await tokenRequest({ grant_type: "client_credentials" }, basicAuth(clientId, clientSecret));
    expect(basic.status).toBe(200);
    expect(basic.headers.get("cache-control")).toBe("no-store");
    expect(basic.headers.get("set-cookie")).toBeNull();
    const full = (await basic.json()) as any;
    expect(full).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "awards:write issuer:read" });
    expect(full.access_token).toMatch(/^laurel_oat_[A-Za-z0-9_-]{43}$/);
    const email = uniqueEmail("oauth");
    expect((await bearerGql(full.access_token, AWARD, { badgeClassId: badgeClass.id, email })).data?.awardBadge).toMatchObject({
      __typename: "Award",
      recipientEmail: email,
    });

    const narrow = await tokenOf(
      await tokenRequest({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: "issuer:read" }),
    );
    expect((await bearerGql(narrow, ISSUER, { id: issuer.id })).data?.issuer.id).toBe(issuer.id);
    const refused = await bearerGql(narrow, AWARD, { badgeClassId: badgeClass.id, email: uniqueEmail("oauth-narrow") });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "INSUFFICIENT_SCOPE", scope: "awards:write" });
    const stored = await env.DB.prepare("select token_hash, scopes from oauth_access_tokens where client_id = ? order by created_at")
      .bind(clientId)
      .all<{ token_hash: string; scopes: string }>();
    expect(stored.results.map((r) => r.token_hash)).toEqual([await sha256Hex(full.access_token), await sha256Hex(narrow)]);
  });

  it("answer errors as RFC 6749 §5.2 says, issuing nothing", async () => {
    const { owner, issuer } = await ownerWithIssuer();
    const { clientId, clientSecret } = await insertOAuthClient({ userId: owner.id, issuerId: issuer.id, scopes: ["issuer:read"] });
    const expectError = async (response: Response, status: number, error: string) => {
      expect(response.status).toBe(status);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const body = (await response.json()) as any;
      expect(body.error).toBe(error);
      expect(body.error_description).toEqual(expect.any(String));
      return response;
    };
    const wrong = await expectError(
      await tokenRequest({ grant_type: "client_credentials" }, basicAuth(clientId, `laurel_cs_${"x".repeat(43)}`)),
      401,
      "invalid_client",
    );
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic realm="laurel"/);
    const unknown = await tokenRequest({
      grant_type: "client_credentials",
      client_id: `laurel_ci_${"y".repeat(22)}`,
      client_secret: clientSecret,
    });
    expect((await expectError(unknown, 401, "invalid_client")).headers.get("www-authenticate")).toMatch(/^Basic/);
    await expectError(await tokenRequest({ grant_type: "client_credentials" }), 401, "invalid_client");
    await expectError(
      await tokenRequest({ grant_type: "password", username: "a", password: "b" }, basicAuth(clientId, clientSecret)),
      400,
      "unsupported_grant_type",
    );
    await expectError(await tokenRequest({ client_id: clientId, client_secret: clientSecret }), 400, "invalid_request");
    await expectError(
      await tokenRequest({ grant_type: "client_credentials", scope: "issuer:read awards:write" }, basicAuth(clientId, clientSecret)),
      400,
      "invalid_scope",
    );
    await expectError(
      await tokenRequest(
        { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
        basicAuth(clientId, clientSecret),
      ),
      400,
      "invalid_request",
    );
    const json = await exports.default.fetch(
      new Request("http://127.0.0.1:8787/oauth/token", {
        method: "POST",
        headers: { "content-type": "application/json", ...basicAuth(clientId, clientSecret) },
        body: JSON.stringify({ grant_type: "client_credentials" }),
      }),
    );
    await expectError(json, 400, "invalid_request");
    const issued = await env.DB.prepare("select count(*) as n from oauth_access_tokens where client_id = ?")
      .bind(clientId)
      .first<{ n: number }>();
    expect(issued?.n).toBe(0);
  });

  it("count secret guesses in D1 and pause the guesser, even one that then sends the right secret, however many arrive at once", async () => {
    const { owner, issuer } = await ownerWithIssuer();
    const { clientId, clientSecret } = await insertOAuthClient({ userId: owner.id, issuerId: issuer.id, scopes: ["issuer:read"] });
    const ip = `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
    const guess = (i: number) =>
      tokenRequest(
        { grant_type: "client_credentials" },
        { ...basicAuth(clientId, `laurel_cs_${String(i).padStart(43, "g")}`), "cf-connecting-ip": ip },
      );
    const statuses = await Promise.all(Array.from({ length: 14 }, (_, i) => guess(i).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    const paused = await tokenRequest(
      { grant_type: "client_credentials" },
      { ...basicAuth(clientId, clientSecret), "cf-connecting-ip": ip },
    );
    expect(paused.status).toBe(429);
    expect(Number(paused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await paused.json()) as any).error).toBe("temporarily_unavailable");
    const row = await env.DB.prepare("select attempts from attempt_windows where key like 'client-secret:client-ip:%' and key like ?")
      .bind(`%${clientId}%`)
      .first<{ attempts: number }>();
    expect(row?.attempts).toBe(10);
    // The integration on its own network is not locked out by the guesser.
    expect((await tokenRequest({ grant_type: "client_credentials" }, basicAuth(clientId, clientSecret))).status).toBe(200);
  });

  it("stop working at once when the client is deleted, and its access tokens with it", async () => {
    const { owner, client, issuer } = await ownerWithIssuer();
    const { clientId, clientSecret } = await insertOAuthClient({ userId: owner.id, issuerId: issuer.id, scopes: ["issuer:read"] });
    const token = await tokenOf(await tokenRequest({ grant_type: "client_credentials" }, basicAuth(clientId, clientSecret)));
    expect((await bearerGql(token, ISSUER, { id: issuer.id })).data?.issuer.id).toBe(issuer.id);

    expect((await client.gql(DELETE_OAUTH_CLIENT, { id: clientId })).deleteOAuthClient.deletedAt).toEqual(expect.any(String));
    const refused = await bearerRequest(token, ISSUER, { id: issuer.id });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect((await tokenRequest({ grant_type: "client_credentials" }, basicAuth(clientId, clientSecret))).status).toBe(401);
    expect((await client.gql(DELETE_OAUTH_CLIENT, { id: clientId })).deleteOAuthClient.__typename).toBe("NotFoundError");
    const audit = await env.DB.prepare("select count(*) as n from audit_log where action = 'oauth-client.deleted' and actor_user_id = ?")
      .bind(owner.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("access tokens cost one D1 read to check, and expired ones are refused", async () => {
    const { owner, issuer } = await ownerWithIssuer();
    const { clientId, clientSecret } = await insertOAuthClient({ userId: owner.id, issuerId: issuer.id, scopes: ["issuer:read"] });
    const token = await tokenOf(await tokenRequest({ grant_type: "client_credentials" }, basicAuth(clientId, clientSecret)));
    const { ctx, queries } = countingContext();
    ctx.bearerToken = token;
    await attachApiCaller(ctx);
    expect(ctx.apiToken).toMatchObject({ id: clientId, issuerId: issuer.id });
    expect(queries()).toBe(1);

    await env.DB.prepare("update oauth_access_tokens set expires_at = ? where token_hash = ?")
      .bind(Date.now() - 1, await sha256Hex(token))
      .run();
    expect((await bearerRequest(token, ISSUER, { id: issuer.id })).status).toBe(401);
  });

  it("are described by RFC 8414 metadata", async () => {
    const response = await exports.default.fetch(new Request("http://127.0.0.1:8787/.well-known/oauth-authorization-server"));
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as any;
    const appUrl = metadata.issuer as string;
    expect(metadata).toMatchObject({
      token_endpoint: `${appUrl}/oauth/token`,
      grant_types_supported: ["client_credentials"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      service_documentation: `${appUrl}/help/articles/use-the-laurel-api`,
    });
    expect(metadata.scopes_supported).toContain("awards:write");
  });
});
