import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { bearerGql, bearerRequest, CREATE_TOKEN, insertApiToken, REVOKE_TOKEN } from "../../test/api-tokens";
import { AWARD, CREATE_ISSUER, insertMembership, issuerWithBadgeClass } from "../../test/badges";
import { TestClient, uniqueEmail } from "../../test/client";
import { countingContext } from "../../test/counting";
import { createUser, signInAs } from "../../test/fixtures";
import { enrolAuthenticator, totp } from "../../test/mfa";
import { TEST_API_RATE_LIMIT } from "../../test/rate-limits";
import { sha256Hex } from "../lib/crypto";
import { attachApiCaller } from "./bearer-caller";
import { API_RATE_LIMIT } from "./rate-limit";

const ISSUER = "query ($id: ID!) { issuer(id: $id) { id name } }";
const AWARDS = "query ($id: ID!) { issuer(id: $id) { awards { total items { id recipientEmail } } } }";
const AWARD_ERRORS = `mutation ($badgeClassId: ID!, $input: AwardInput!) {
  awardBadge(badgeClassId: $badgeClassId, input: $input) { __typename ... on Award { id recipientEmail } ... on Error { message } }
}`;
const NEW_CLASS = `mutation ($issuerId: ID!) {
  createBadgeClass(issuerId: $issuerId, input: { name: "Via API", description: "Made by a token." }) { __typename ... on Error { message } }
}`;
const BACKPACK = "{ backpack { items { id recipientEmail } } }";

/** An owner with an authenticator, their signed-in client and an issuer with one badge class. */
async function ownerWithIssuer() {
  const owner = await createUser();
  const { secret } = await enrolAuthenticator(owner);
  const client = new TestClient();
  await signInAs(client, owner);
  const { issuer, badgeClass } = await issuerWithBadgeClass(client);
  return { owner, secret, client, issuer, badgeClass };
}

const codeOf = (answer: { errors?: { extensions?: { code?: string } }[] }) => answer.errors?.[0]?.extensions?.code;

describe("API tokens", () => {
  it("are created with a fresh authenticator code, shown once and stored only as a hash", async () => {
    const { owner, secret, client, issuer } = await ownerWithIssuer();
    const created = (
      await client.gql(CREATE_TOKEN, {
        input: { issuerId: issuer.id, name: "Moodle", scopes: ["awards:write", "issuer:read"], expiresInDays: 90, code: totp(secret) },
      })
    ).createApiToken;
    expect(created.__typename).toBe("ApiTokenCreated");
    expect(created.token).toMatch(/^laurel_at_[A-Za-z0-9_-]{43}$/);
    expect(created.apiToken).toMatchObject({ name: "Moodle", status: "ACTIVE", hint: `laurel_at_…${created.token.slice(-4)}` });

    const row = await env.DB.prepare("select * from api_tokens where id = ?").bind(created.apiToken.id).first<Record<string, unknown>>();
    expect(row?.token_hash).toBe(await sha256Hex(created.token));
    expect(Object.values(row ?? {})).not.toContain(created.token);
    const listed = await client.gql("query ($id: ID!) { issuer(id: $id) { apiTokens { id hint } } }", { id: issuer.id });
    expect(JSON.stringify(listed)).not.toContain(created.token);

    const audit = await env.DB.prepare("select count(*) as n from audit_log where action = 'api-token.created' and actor_user_id = ?")
      .bind(owner.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("refuse a wrong code, bad scopes and an expiry out of range, creating nothing", async () => {
    const { owner, secret, client, issuer } = await ownerWithIssuer();
    const attempt = async (input: Record<string, unknown>) =>
      (await client.gql(CREATE_TOKEN, { input: { issuerId: issuer.id, name: "x", scopes: ["awards:read"], code: totp(secret), ...input } }))
        .createApiToken;
    expect((await attempt({ code: "000000" })).__typename).toBe("InvalidCodeError");
    const scopes = await attempt({ scopes: ["backpack:read", "everything"] });
    expect(scopes.fieldErrors).toEqual([{ field: "scopes", message: expect.stringContaining("backpack:read, everything") }]);
    expect((await attempt({ scopes: [] })).fieldErrors[0].field).toBe("scopes");
    expect((await attempt({ expiresInDays: 0 })).fieldErrors[0].field).toBe("expiresInDays");
    expect((await attempt({ name: " " })).fieldErrors[0].field).toBe("name");
    const count = await env.DB.prepare("select count(*) as n from api_tokens where created_by_user_id = ?")
      .bind(owner.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(0);
  });

  it("are made by the issuer's owners only", async () => {
    const { issuer } = await ownerWithIssuer();
    const awarder = await createUser();
    const { secret } = await enrolAuthenticator(awarder);
    await insertMembership(issuer.id, awarder.id, "awarder");
    const client = new TestClient();
    await signInAs(client, awarder);
    const answer = (
      await client.gql(CREATE_TOKEN, { input: { issuerId: issuer.id, name: "x", scopes: ["awards:read"], code: totp(secret) } })
    ).createApiToken;
    expect(answer.__typename).toBe("ForbiddenError");
  });

  it("award over Bearer without cookies or a CSRF header, and ignore any cookie sent along", async () => {
    const { owner, issuer, badgeClass } = await ownerWithIssuer();
    const { token } = await insertApiToken({ userId: owner.id, issuerId: issuer.id, scopes: ["awards:write"] });
    const stranger = new TestClient();
    await signInAs(stranger, await createUser());
    const cookie = [...stranger.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

    const email = uniqueEmail("api");
    const response = await bearerRequest(token, AWARD_ERRORS, { badgeClassId: badgeClass.id, input: { email } }, { cookie });
    const body = (await response.json()) as any;
    expect(body.data.awardBadge).toMatchObject({ __typename: "Award", recipientEmail: email });
    expect(response.headers.getSetCookie()).toEqual([]);
    // The stranger's session did not become the caller, and `me` never shows the creator.
    expect((await bearerGql(token, "{ me { id } }")).data).toEqual({ me: null });
  });

  it("reach exactly the fields their scopes name", async () => {
    const { owner, issuer, badgeClass } = await ownerWithIssuer();
    const operations: Record<string, (token: string) => Promise<boolean>> = {
      "issuer:read": async (t) => (await bearerGql(t, ISSUER, { id: issuer.id })).data?.issuer?.id === issuer.id,
      "awards:read": async (t) => typeof (await bearerGql(t, AWARDS, { id: issuer.id })).data?.issuer?.awards?.total === "number",
      "awards:write": async (t) =>
        (await bearerGql(t, AWARD_ERRORS, { badgeClassId: badgeClass.id, input: { email: uniqueEmail("m") } })).data?.awardBadge
          ?.__typename === "Award",
      "badge_classes:write": async (t) => (await bearerGql(t, NEW_CLASS, { issuerId: issuer.id })).data?.createBadgeClass !== undefined,
    };
    for (const scope of Object.keys(operations)) {
      // Reading awards goes through issuer(id), so that scope is held alongside.
      const scopes = scope === "awards:read" ? ["issuer:read", scope] : [scope];
      const { token } = await insertApiToken({ userId: owner.id, issuerId: issuer.id, scopes });
      for (const [other, run] of Object.entries(operations)) {
        const allowed = scopes.includes(other) || (other === "issuer:read" && scope === "awards:read");
        expect({ scope, other, ok: await run(token).catch(() => false) }).toEqual({ scope, other, ok: allowed });
      }
    }
  });

  it("name the scope they lack, and refuse session-only fields", async () => {
    const { owner, issuer, badgeClass } = await ownerWithIssuer();
    const { token } = await insertApiToken({ userId: owner.id, issuerId: issuer.id, scopes: ["issuer:read"] });
    const refused = await bearerGql(token, AWARD_ERRORS, { badgeClassId: badgeClass.id, input: { email: uniqueEmail("x") } });
    expect(refused.errors?.[0]).toMatchObject({
      message: "This API token lacks the awards:write scope.",
      extensions: { code: "INSUFFICIENT_SCOPE", scope: "awards:write" },
    });
    const sessionOnly = await bearerGql(token, "{ myIssuers { id } }");
    expect(codeOf(sessionOnly)).toBe("INSUFFICIENT_SCOPE");
    const tokensCannotMakeTokens = await bearerGql(token, CREATE_TOKEN, {
      input: { issuerId: issuer.id, name: "x", scopes: ["issuer:read"], code: "123456" },
    });
    expect(codeOf(tokensCannotMakeTokens)).toBe("INSUFFICIENT_SCOPE");
    const awards = await bearerGql(token, AWARDS, { id: issuer.id });
    expect(awards.errors?.[0]?.extensions).toMatchObject({ code: "INSUFFICIENT_SCOPE", scope: "awards:read" });
  });

  it("of issuer A cannot touch issuer B, even when their creator owns both", async () => {
    const { owner, client, issuer: a } = await ownerWithIssuer();
    const b = (
      await client.gql(CREATE_ISSUER, { input: { name: "Other", url: "https://other.example.org", email: "b@other.example.org" } })
    ).createIssuer;
    const { badgeClass: classOfB } = await issuerWithBadgeClass(client);
    const { token } = await insertApiToken({ userId: owner.id, issuerId: a.id, scopes: ["issuer:read", "awards:read", "awards:write"] });
    expect((await bearerGql(token, ISSUER, { id: b.id })).data).toEqual({ issuer: null });
    const award = await bearerGql(token, AWARD_ERRORS, { badgeClassId: classOfB.id, input: { email: uniqueEmail("b") } });
    expect(award.data?.awardBadge.__typename).toBe("NotFoundError");
  });

  it("stop at once when revoked or expired, with 401 and WWW-Authenticate", async () => {
    const { owner, secret, client, issuer } = await ownerWithIssuer();
    const created = (
      await client.gql(CREATE_TOKEN, { input: { issuerId: issuer.id, name: "CI", scopes: ["issuer:read"], code: totp(secret) } })
    ).createApiToken;
    expect((await bearerGql(created.token, ISSUER, { id: issuer.id }, { "cf-connecting-ip": "203.0.113.7" })).data?.issuer?.id).toBe(
      issuer.id,
    );
    await vi.waitFor(async () => {
      const used = await client.gql("query ($id: ID!) { issuer(id: $id) { apiTokens { lastUsedAt lastUsedIp } } }", { id: issuer.id });
      expect(used.issuer.apiTokens[0]).toEqual({ lastUsedAt: expect.any(String), lastUsedIp: "203.0.113.7" });
    });

    const revoked = (await client.gql(REVOKE_TOKEN, { id: created.apiToken.id })).revokeApiToken;
    expect(revoked.status).toBe("REVOKED");
    expect((await client.gql(REVOKE_TOKEN, { id: created.apiToken.id })).revokeApiToken.status).toBe("REVOKED");
    const audits = await env.DB.prepare("select count(*) as n from audit_log where action = 'api-token.revoked' and actor_user_id = ?")
      .bind(owner.id)
      .first<{ n: number }>();
    expect(audits?.n).toBe(1);

    const expired = await insertApiToken({ userId: owner.id, issuerId: issuer.id, scopes: ["issuer:read"], expiresAt: Date.now() - 1000 });
    for (const token of [created.token, expired.token, "laurel_at_nonsense", ""]) {
      const response = await bearerRequest(token, ISSUER, { id: issuer.id });
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(((await response.json()) as any).errors[0].extensions.code).toBe("INVALID_TOKEN");
    }
  });

  it("lose what their creator loses: a creator no longer a member awards nothing", async () => {
    const { issuer, badgeClass } = await ownerWithIssuer();
    const awarder = await createUser();
    await insertMembership(issuer.id, awarder.id, "awarder");
    const { token } = await insertApiToken({ userId: awarder.id, issuerId: issuer.id, scopes: ["awards:write"] });
    await env.DB.prepare("delete from issuer_members where issuer_id = ? and user_id = ?").bind(issuer.id, awarder.id).run();
    const award = await bearerGql(token, AWARD_ERRORS, { badgeClassId: badgeClass.id, input: { email: uniqueEmail("gone") } });
    expect(award.data?.awardBadge.__typename).toBe("NotFoundError");
  });

  it("personal tokens read their creator's backpack and nothing of any issuer", async () => {
    const { owner, issuer, badgeClass, client } = await ownerWithIssuer();
    const learner = await createUser();
    await client.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: learner.email } });
    const { secret } = await enrolAuthenticator(learner);
    const learnerClient = new TestClient();
    await signInAs(learnerClient, learner);
    const created = (await learnerClient.gql(CREATE_TOKEN, { input: { name: "Portfolio", scopes: ["backpack:read"], code: totp(secret) } }))
      .createApiToken;
    expect((await bearerGql(created.token, BACKPACK)).data?.backpack.items).toEqual([
      { id: expect.any(String), recipientEmail: learner.email },
    ]);
    expect((await bearerGql(created.token, ISSUER, { id: issuer.id })).errors?.[0]?.extensions?.code).toBe("INSUFFICIENT_SCOPE");
    const mine = await learnerClient.gql("{ myApiTokens { id scopes } }");
    expect(mine.myApiTokens).toEqual([{ id: created.apiToken.id, scopes: ["backpack:read"] }]);
    // Nobody else can revoke it, and its id reveals nothing to them.
    expect((await client.gql(REVOKE_TOKEN, { id: created.apiToken.id })).revokeApiToken.__typename).toBe("NotFoundError");
    void owner;
  });

  it("award once for 20 concurrent retries with one Idempotency-Key header", async () => {
    const { owner, issuer, badgeClass } = await ownerWithIssuer();
    const { token } = await insertApiToken({ userId: owner.id, issuerId: issuer.id, scopes: ["awards:write"] });
    const email = uniqueEmail("retried");
    const key = crypto.randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const response = await bearerRequest(
          token,
          AWARD_ERRORS,
          { badgeClassId: badgeClass.id, input: { email } },
          { "idempotency-key": key },
        );
        const body = (await response.json()) as any;
        if (!body.data) throw new Error(JSON.stringify(body));
        return body.data.awardBadge;
      }),
    );
    expect(new Set(answers.map((a) => a.__typename))).toEqual(new Set(["Award"]));
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    const count = await env.DB.prepare("select count(*) as n from awards where recipient_email = ?").bind(email).first<{ n: number }>();
    expect(count?.n).toBe(1);
    // The same key with another request is refused, not silently answered with the first award
    // (from a second token of the same creator: the first has used its test allowance).
    const second = await insertApiToken({ userId: owner.id, issuerId: issuer.id, scopes: ["awards:write"] });
    const reused = await bearerRequest(
      second.token,
      AWARD_ERRORS,
      { badgeClassId: badgeClass.id, input: { email: uniqueEmail("other") } },
      { "idempotency-key": key },
    );
    const reusedBody = (await reused.json()) as any;
    expect(reusedBody.data?.awardBadge.__typename, JSON.stringify(reusedBody)).toBe("IdempotencyKeyReusedError");
  });

  it("cost one D1 read to check", async () => {
    const { owner, issuer } = await ownerWithIssuer();
    // Used a moment ago: the check is the read alone (the last-use write is at most once a minute).
    const { token } = await insertApiToken({ userId: owner.id, issuerId: issuer.id, scopes: ["issuer:read"], lastUsedAt: Date.now() });
    const { ctx, queries } = countingContext();
    ctx.bearerToken = token;
    ctx.waitUntil = () => undefined;
    await attachApiCaller(ctx);
    expect(ctx.apiToken?.issuerId).toBe(issuer.id);
    expect(queries()).toBe(1);
  });
});

/**
 * The limiter counts in windows aligned to the minute: a test that runs across a boundary
 * would see its count start again, so it starts at least ten seconds before one.
 */
async function awayFromMinuteBoundary() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 100));
}

describe("API rate limits", () => {
  it("answer 429 with Retry-After once a token has made its requests for the minute, before looking it up", async () => {
    await awayFromMinuteBoundary();
    // A made-up token from ever-new addresses: 401s (no such token) until the token's limit, then 429.
    const token = `laurel_at_${"r".repeat(39)}${Math.random().toString(36).slice(2, 6).padEnd(4, "x")}`;
    const statuses: number[] = [];
    for (let i = 0; i <= TEST_API_RATE_LIMIT; i++) {
      const response = await bearerRequest(token, "{ apiScopes { name } }", {}, { "cf-connecting-ip": `192.0.2.${i + 1}` });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(response.headers.get("retry-after")).toBe(String(API_RATE_LIMIT.periodSeconds));
        expect(((await response.json()) as any).errors[0].extensions.code).toBe("RATE_LIMITED");
      } else await response.body?.cancel();
    }
    expect(statuses).toEqual([...Array(TEST_API_RATE_LIMIT).fill(401), 429]);
  });

  it("count each address too, whatever tokens it tries", async () => {
    await awayFromMinuteBoundary();
    const ip = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const statuses: number[] = [];
    for (let i = 0; i <= TEST_API_RATE_LIMIT; i++) {
      const response = await bearerRequest(
        `laurel_at_${String(i).padStart(43, "q")}`,
        "{ apiScopes { name } }",
        {},
        { "cf-connecting-ip": ip },
      );
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses.at(-1)).toBe(429);
  });
});
