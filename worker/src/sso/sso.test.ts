import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ME } from "../../test/accounts";
import { deliveredMailTo, mailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { enrolAuthenticator, PENDING, signInWithCode } from "../../test/mfa";
import { authorizeAt, finishCallback, MY_SSO, providerUrl, ssoRoundTrip, startSso, UNLINK } from "../../test/sso";
import { sha256Hex } from "../lib/crypto";

const SESSION = "__Host-laurel_session";
const PENDING_COOKIE = "__Host-laurel_pending";
const FLOW_COOKIE = "__Host-laurel_sso";
const uniqueSub = () => `sub-${crypto.randomUUID()}`;

const userByEmail = (email: string) =>
  env.DB.prepare("select u.* from users u join emails e on e.user_id = u.id where e.address = ?")
    .bind(email)
    .first<Record<string, unknown>>();
/** The user row owning the address; fails the test when there is none. */
async function existingUserByEmail(email: string): Promise<Record<string, unknown>> {
  const row = await userByEmail(email);
  if (!row) throw new Error(`no user owns ${email}`);
  return row;
}
const identitiesOf = async (userId: string) =>
  (await env.DB.prepare("select * from sso_identities where user_id = ? order by created_at").bind(userId).all<Record<string, unknown>>())
    .results;
const auditOf = async (userId: string) =>
  (
    await env.DB.prepare("select action, data from audit_log where subject_id = ? order by created_at, rowid")
      .bind(userId)
      .all<{ action: string; data: string }>()
  ).results;

describe("the providers", () => {
  it("lists the configured providers for the sign-in page", async () => {
    expect(await new TestClient().gql("{ ssoProviders { name label } }")).toEqual({
      ssoProviders: [
        { name: "google", label: "Google" },
        { name: "microsoft", label: "Microsoft" },
      ],
    });
  });

  it("sends the browser to the provider with a code-flow request using PKCE, state and nonce", async () => {
    const client = new TestClient();
    const url = await startSso(client, "google", { returnTo: "/courses/1?tab=2" });
    expect(`${url.origin}${url.pathname}`).toBe(`${providerUrl()}/google/authorize`);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      response_type: "code",
      client_id: "laurel-test",
      redirect_uri: "http://127.0.0.1:8787/auth/sso/google/callback",
      scope: "openid email profile",
      code_challenge_method: "S256",
    });
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(client.cookies.get(FLOW_COOKIE)).toBe(params.state);
    // Only hashes of the state are stored.
    const flow = await env.DB.prepare("select * from sso_flows where state_hash = ?")
      .bind(await sha256Hex(params.state!))
      .first();
    expect(flow).toMatchObject({ provider: "google", purpose: "sign-in", return_to: "/courses/1?tab=2", user_id: null });
    expect(JSON.stringify(flow)).not.toContain(params.state);
  });

  it("refuses an unknown provider and a foreign returnTo", async () => {
    const client = new TestClient();
    const unknown = await client.request("/auth/sso/myspace/start", { redirect: "manual" });
    expect(unknown.status).toBe(302);
    expect(unknown.headers.get("location")).toBe("/sign-in?ssoError=unknown-provider");
    for (const returnTo of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]) {
      const url = await startSso(client, "google", { returnTo });
      const state = url.searchParams.get("state")!;
      const flow = await env.DB.prepare("select return_to from sso_flows where state_hash = ?")
        .bind(await sha256Hex(state))
        .first();
      expect(flow).toEqual({ return_to: "/" });
    }
  });
});

describe("a new account", () => {
  it("is created from a verified email, then must set up MFA (pendingSignIn)", async () => {
    const email = uniqueEmail("new");
    const client = new TestClient();
    const location = await ssoRoundTrip(
      client,
      { email, sub: uniqueSub(), givenName: "Grace", familyName: "Hopper" },
      { query: { returnTo: "/courses" } },
    );
    expect(location).toBe("/sign-in/continue?next=%2Fcourses");
    expect(client.cookies.has(SESSION)).toBe(false);
    expect(client.cookies.has(PENDING_COOKIE)).toBe(true);
    expect(client.cookies.has(FLOW_COOKIE)).toBe(false);
    expect((await client.gql(PENDING)).pendingSignIn).toMatchObject({ stage: "SETUP", email });
    expect((await client.gql(ME)).me).toBeNull();

    const user = await existingUserByEmail(email);
    expect(user).toMatchObject({ first_name: "Grace", last_name: "Hopper", password_hash: null, terms_version: "2026-11-01" });
    expect(await identitiesOf(String(user.id))).toMatchObject([
      { provider: "google", issuer: `${providerUrl()}/google`, email, email_verified: 1 },
    ]);
    const audit = await auditOf(String(user.id));
    expect(audit[0]?.action).toBe("account.registered");
    expect(JSON.parse(audit[0]!.data)).toMatchObject({ email, via: "google" });
    const pending = await env.DB.prepare("select method from pending_sign_ins where user_id = ?").bind(user.id).first();
    expect(pending).toEqual({ method: "google" });
  });

  it("is refused when the provider has not verified the email", async () => {
    const email = uniqueEmail("unverified");
    const client = new TestClient();
    expect(await ssoRoundTrip(client, { email, emailVerified: false })).toBe("/sign-in?ssoError=unverified-email");
    expect(await userByEmail(email)).toBeNull();
    expect(client.cookies.has(PENDING_COOKIE)).toBe(false);
  });

  it("takes the names from `name` when given and family names are missing", async () => {
    const email = uniqueEmail("named");
    await ssoRoundTrip(new TestClient(), {
      email,
      overrides: { claims: { name: "Ada King Lovelace" }, omit: ["given_name", "family_name"] },
    });
    expect(await userByEmail(email)).toMatchObject({ first_name: "Ada King", last_name: "Lovelace" });
  });
});

describe("an existing account", () => {
  it("is linked when the provider verified its email, and the sign-in still asks for the second factor", async () => {
    const user = await createUser();
    await enrolAuthenticator(user);
    const client = new TestClient();
    expect(await ssoRoundTrip(client, { email: user.email, sub: uniqueSub() })).toBe("/sign-in/continue?next=%2F");
    expect((await client.gql(PENDING)).pendingSignIn).toMatchObject({ stage: "SECOND_FACTOR", email: user.email });
    expect(client.cookies.has(SESSION)).toBe(false);
    expect(await identitiesOf(user.id)).toHaveLength(1);
    expect((await auditOf(user.id)).map((a) => a.action)).toContain("sso.linked-by-email");
    // The owner is told, in case the provider's account is not theirs.
    const notice = await deliveredMailTo(user.email, "Google can now sign in to your Laurel account");
    expect(notice.text).toContain(`"Continue with Google" with ${user.email}`);
    expect(notice.text).toContain("http://127.0.0.1:8787/account/security");
  });

  it("tells the owner at their primary address when the provider vouched for another of their addresses", async () => {
    const user = await createUser();
    const second = uniqueEmail("second");
    await env.DB.prepare("insert into emails (id, user_id, address, is_primary, verified_at, created_at) values (?, ?, ?, 0, ?, ?)")
      .bind(crypto.randomUUID(), user.id, second, Date.now(), Date.now())
      .run();
    await ssoRoundTrip(new TestClient(), { email: second, sub: uniqueSub() });
    const notice = await deliveredMailTo(user.email, "Google can now sign in to your Laurel account");
    expect(notice.text).toContain(second);
    expect(await mailTo(second)).toEqual([]);
  });

  it("is reopened and linked when an old crossed merge left it closed with the verified address", async () => {
    const user = await createUser();
    await env.DB.prepare("update users set status = 'closed' where id = ?").bind(user.id).run();
    const client = new TestClient();
    expect(await ssoRoundTrip(client, { email: user.email, sub: uniqueSub() })).toBe("/sign-in/continue?next=%2F");
    expect(await userByEmail(user.email)).toMatchObject({ id: user.id, status: "active" });
    expect(await identitiesOf(user.id)).toHaveLength(1);
    expect((await auditOf(user.id)).map((a) => a.action)).toContain("account.reopened");
    expect((await deliveredMailTo(user.email, "Google can now sign in to your Laurel account")).text).toContain(user.email);
  });

  it("is neither linked nor signed in when the provider has not verified the email (nOAuth)", async () => {
    const user = await createUser();
    const client = new TestClient();
    const location = await ssoRoundTrip(client, { email: user.email, emailVerified: false, sub: uniqueSub() });
    expect(location).toBe("/sign-in?ssoError=link-with-password");
    expect(client.cookies.has(PENDING_COOKIE)).toBe(false);
    expect(client.cookies.has(SESSION)).toBe(false);
    expect(await identitiesOf(user.id)).toEqual([]);
    expect(await mailTo(user.email)).toEqual([]);
  });

  it("is found by (issuer, subject), not by email: a changed address at the provider signs into the same account", async () => {
    const sub = uniqueSub();
    const first = uniqueEmail("before");
    await ssoRoundTrip(new TestClient(), { email: first, sub });
    const user = await existingUserByEmail(first);

    const changed = uniqueEmail("after");
    const client = new TestClient();
    expect(await ssoRoundTrip(client, { email: changed, sub, emailVerified: false })).toBe("/sign-in/continue?next=%2F");
    expect((await client.gql(PENDING)).pendingSignIn.email).toBe(first);
    expect(await userByEmail(changed)).toBeNull();
    expect(await identitiesOf(String(user.id))).toMatchObject([{ subject: sub, email: changed, email_verified: 0 }]);

    // The same address with another subject is another person at the provider.
    const other = new TestClient();
    expect(await ssoRoundTrip(other, { email: first, sub: uniqueSub(), emailVerified: false })).toBe(
      "/sign-in?ssoError=link-with-password",
    );
  });

  it("signs in fully, straight to returnTo, on a device remembered after the second factor", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const client = new TestClient();
    expect((await signInWithCode(client, user, secret, { remember: true })).status).toBe("SIGNED_IN");
    await client.gql("mutation { signOut }");
    expect(client.cookies.has(SESSION)).toBe(false);

    const location = await ssoRoundTrip(client, { email: user.email, sub: uniqueSub() }, { query: { returnTo: "/courses?x=1" } });
    expect(location).toBe("/courses?x=1");
    expect(client.cookies.has(SESSION)).toBe(true);
    expect((await client.gql(ME)).me).toMatchObject({ id: user.id });
  });
});

describe("refused callbacks", () => {
  it("ends on /sign-in?ssoError=denied when the person clicks Deny, and the flow is gone", async () => {
    const client = new TestClient();
    const url = await startSso(client);
    const callback = await authorizeAt(url, { email: uniqueEmail(), decision: "deny" });
    expect(callback).toMatch(/[?&]error=access_denied/);
    expect(await finishCallback(client, callback)).toBe("/sign-in?ssoError=denied");
    const flows = await env.DB.prepare("select count(*) as n from sso_flows where state_hash = ?")
      .bind(await sha256Hex(url.searchParams.get("state")!))
      .first();
    expect(flows).toEqual({ n: 0 });
  });

  it("refuses a tampered state, and a state from another browser (login CSRF)", async () => {
    const client = new TestClient();
    const url = await startSso(client);
    const callback = await authorizeAt(url, { email: uniqueEmail() });
    const tampered = callback.replace(/state=([^&]+)/, (_m, s: string) => `state=${s.slice(0, -2)}xx`);
    expect(await finishCallback(client, tampered)).toBe("/sign-in?ssoError=invalid");

    const attacker = new TestClient();
    const attackerUrl = await startSso(attacker);
    const attackerCallback = await authorizeAt(attackerUrl, { email: uniqueEmail("attacker") });
    const victim = new TestClient();
    expect(await finishCallback(victim, attackerCallback)).toBe("/sign-in?ssoError=invalid");
    expect(victim.cookies.has(PENDING_COOKIE)).toBe(false);
  });

  it("refuses an expired flow and a replayed callback", async () => {
    const client = new TestClient();
    const url = await startSso(client);
    const callback = await authorizeAt(url, { email: uniqueEmail() });
    await env.DB.prepare("update sso_flows set expires_at = ? where state_hash = ?")
      .bind(Date.now() - 1, await sha256Hex(url.searchParams.get("state")!))
      .run();
    expect(await finishCallback(client, callback)).toBe("/sign-in?ssoError=expired");

    const again = new TestClient();
    const okUrl = await startSso(again);
    const okCallback = await authorizeAt(okUrl, { email: uniqueEmail() });
    const cookie = again.cookies.get(FLOW_COOKIE)!;
    expect(await finishCallback(again, okCallback)).toMatch(/^\/sign-in\/continue/);
    again.cookies.set(FLOW_COOKIE, cookie);
    expect(await finishCallback(again, okCallback)).toBe("/sign-in?ssoError=expired");
  });

  it("refuses a code from another flow (PKCE binds the code to this flow's verifier)", async () => {
    const attacker = new TestClient();
    const stolenCode = new URL(
      await authorizeAt(await startSso(attacker), { email: uniqueEmail("attacker") }),
      "http://x",
    ).searchParams.get("code")!;
    const victim = new TestClient();
    const own = await authorizeAt(await startSso(victim), { email: uniqueEmail("victim") });
    const injected = own.replace(/code=[^&]+/, `code=${stolenCode}`);
    expect(await finishCallback(victim, injected)).toBe("/sign-in?ssoError=invalid");
    expect(victim.cookies.has(PENDING_COOKIE)).toBe(false);
  });

  it("refuses a callback to another provider's URL", async () => {
    const client = new TestClient();
    const url = await startSso(client, "google");
    const callback = await authorizeAt(url, { email: uniqueEmail() });
    expect(await finishCallback(client, callback.replace("/google/", "/microsoft/"))).toBe("/sign-in?ssoError=invalid");
  });

  it.each([
    ["a wrong nonce", { claims: { nonce: "not-the-flow-nonce" } }],
    ["no nonce", { omit: ["nonce"] }],
    ["a wrong audience", { claims: { aud: "someone-else" } }],
    ["another issuer", { claims: { iss: "http://127.0.0.1:1/google" } }],
    ["an expired token", { claims: { iat: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 } }],
    ["a token issued in the future", { claims: { iat: Math.floor(Date.now() / 1000) + 600, exp: Math.floor(Date.now() / 1000) + 900 } }],
    ["a bad signature (another key, same kid)", { key: "rogue" as const }],
  ])("refuses an ID token with %s, and signs nobody in", async (_label, overrides) => {
    const email = uniqueEmail("forged");
    const client = new TestClient();
    expect(await ssoRoundTrip(client, { email, overrides })).toBe("/sign-in?ssoError=invalid");
    expect(await userByEmail(email)).toBeNull();
    expect(client.cookies.has(PENDING_COOKIE)).toBe(false);
  });

  it("accepts a token within the 60 s clock tolerance", async () => {
    const now = Math.floor(Date.now() / 1000);
    const client = new TestClient();
    expect(await ssoRoundTrip(client, { email: uniqueEmail(), overrides: { claims: { iat: now - 90, exp: now - 30 } } })).toMatch(
      /^\/sign-in\/continue/,
    );
  });
});

describe("Microsoft (multi-tenant)", () => {
  it("accepts an issuer that matches the token's tenant", async () => {
    const email = uniqueEmail("ms");
    const tid = crypto.randomUUID();
    const client = new TestClient();
    expect(await ssoRoundTrip(client, { email, tid }, { provider: "microsoft" })).toBe("/sign-in/continue?next=%2F");
    const user = await existingUserByEmail(email);
    expect(await identitiesOf(String(user.id))).toMatchObject([
      { provider: "microsoft", issuer: `${providerUrl()}/microsoft/${tid}/v2.0` },
    ]);
  });

  const ms = (path: string) => `${providerUrl()}/microsoft/${path}`;
  it.each<[string, () => { claims?: Record<string, unknown>; omit?: string[] }]>([
    ["an issuer of another tenant", () => ({ claims: { iss: ms(`${crypto.randomUUID()}/v2.0`) } })],
    ["no tid", () => ({ omit: ["tid"] })],
    ["the {tenantid} template itself", () => ({ claims: { iss: ms("{tenantid}/v2.0") } })],
  ])("refuses %s", async (_label, overrides) => {
    const email = uniqueEmail("ms-forged");
    const client = new TestClient();
    expect(await ssoRoundTrip(client, { email, overrides: overrides() }, { provider: "microsoft" })).toBe("/sign-in?ssoError=invalid");
    expect(await userByEmail(email)).toBeNull();
  });
});

describe("linking from settings", () => {
  it("needs a session to start", async () => {
    const response = await new TestClient().request("/auth/sso/google/start?purpose=link&returnTo=/account/security", {
      redirect: "manual",
    });
    expect(response.headers.get("location")).toBe("/account/security?ssoError=sign-in-required");
  });

  it("links an identity to the signed-in user, whatever its email, and lists it", async () => {
    const user = await createUser();
    const client = new TestClient();
    await signInAs(client, user);
    const providerEmail = uniqueEmail("elsewhere");
    const location = await ssoRoundTrip(
      client,
      { email: providerEmail, emailVerified: false, sub: uniqueSub() },
      { query: { purpose: "link", returnTo: "/account/security" } },
    );
    expect(location).toBe("/account/security?ssoLinked=1");
    // Linking is not signing in again: the session is untouched, no pending sign-in.
    expect(client.cookies.has(SESSION)).toBe(true);
    expect(client.cookies.has(PENDING_COOKIE)).toBe(false);
    const { mySsoIdentities } = await client.gql(MY_SSO);
    expect(mySsoIdentities).toMatchObject([{ provider: "google", providerLabel: "Google", email: providerEmail }]);
    expect((await auditOf(user.id)).map((a) => a.action)).toContain("sso.linked");
    // The linked identity now signs in to this account.
    const other = new TestClient();
    const signedIn = await ssoRoundTrip(other, {
      email: providerEmail,
      emailVerified: false,
      sub: (await identitiesOf(user.id))[0]!.subject as string,
    });
    expect(signedIn).toBe("/sign-in/continue?next=%2F");
    expect((await other.gql(PENDING)).pendingSignIn.email).toBe(user.email);
  });

  it("refuses an identity that belongs to another account", async () => {
    const sub = uniqueSub();
    await ssoRoundTrip(new TestClient(), { email: uniqueEmail("owner"), sub });
    const user = await createUser();
    const client = new TestClient();
    await signInAs(client, user);
    const location = await ssoRoundTrip(
      client,
      { email: uniqueEmail(), sub },
      { query: { purpose: "link", returnTo: "/account/security" } },
    );
    expect(location).toBe("/account/security?ssoError=identity-taken");
    expect(await identitiesOf(user.id)).toEqual([]);
  });

  it("refuses when the session changed during the round trip", async () => {
    const user = await createUser();
    const client = new TestClient();
    await signInAs(client, user);
    const url = await startSso(client, "google", { purpose: "link" });
    const callback = await authorizeAt(url, { email: uniqueEmail(), sub: uniqueSub() });
    await signInAs(client, await createUser());
    expect(await finishCallback(client, callback)).toBe("/account/security?ssoError=sign-in-required");
    expect(await identitiesOf(user.id)).toEqual([]);
  });
});

describe("unlinking", () => {
  it("removes an identity of an account that has a password", async () => {
    const user = await createUser();
    const client = new TestClient();
    await signInAs(client, user);
    await ssoRoundTrip(client, { email: user.email, sub: uniqueSub() }, { query: { purpose: "link" } });
    const [identity] = (await client.gql(MY_SSO)).mySsoIdentities;
    expect((await client.gql(UNLINK, { id: identity.id })).unlinkSsoIdentity).toEqual({
      __typename: "SsoIdentityUnlinked",
      id: identity.id,
    });
    expect((await client.gql(MY_SSO)).mySsoIdentities).toEqual([]);
    expect((await auditOf(user.id)).map((a) => a.action)).toContain("sso.unlinked");
    expect((await client.gql(UNLINK, { id: identity.id })).unlinkSsoIdentity.__typename).toBe("NotFoundError");
  });

  it("refuses to remove the last way to sign in of an account without a password", async () => {
    const email = uniqueEmail("sso-only");
    await ssoRoundTrip(new TestClient(), { email, sub: uniqueSub() });
    const user = await existingUserByEmail(email);
    const client = new TestClient();
    await signInAs(client, { id: String(user.id) });
    const [google] = (await client.gql(MY_SSO)).mySsoIdentities;
    const refused = (await client.gql(UNLINK, { id: google.id })).unlinkSsoIdentity;
    expect(refused.__typename).toBe("ForbiddenError");
    expect(refused.message).toMatch(/only way to sign in/);

    // With a second identity, either one may go, but not both.
    await ssoRoundTrip(client, { email, sub: uniqueSub() }, { provider: "microsoft", query: { purpose: "link" } });
    const identities = (await client.gql(MY_SSO)).mySsoIdentities;
    expect(identities).toHaveLength(2);
    expect((await client.gql(UNLINK, { id: google.id })).unlinkSsoIdentity.__typename).toBe("SsoIdentityUnlinked");
    const last = identities.find((i: { id: string }) => i.id !== google.id);
    expect((await client.gql(UNLINK, { id: last.id })).unlinkSsoIdentity.__typename).toBe("ForbiddenError");
  });

  it("cannot touch another user's identity", async () => {
    const email = uniqueEmail("victim");
    await ssoRoundTrip(new TestClient(), { email, sub: uniqueSub() });
    const victim = await existingUserByEmail(email);
    const [identity] = await identitiesOf(String(victim.id));
    const client = new TestClient();
    await signInAs(client, await createUser());
    expect((await client.gql(UNLINK, { id: identity!.id })).unlinkSsoIdentity.__typename).toBe("NotFoundError");
    expect(await identitiesOf(String(victim.id))).toHaveLength(1);
  });

  it("needs a session", async () => {
    await expect(new TestClient().gql(MY_SSO)).rejects.toThrow(/Sign in to continue/);
  });
});
