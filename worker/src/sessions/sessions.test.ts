import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ME, SIGN_IN } from "../../test/accounts";
import { TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { enrolAuthenticator, totp, VERIFY_CODE } from "../../test/mfa";
import { sha256Hex } from "../lib/crypto";
import { DAY } from "../lib/time";
import type { Session } from "./sessions.service";

const COOKIE = "__Host-laurel_session";
const SESSIONS = "{ mySessions { id current userAgent } }";

/** Password and authenticator code, as a browser would; returns the response that set the session cookie. */
async function fullSignIn(client: TestClient, user: { id: string; email: string; password: string }) {
  const { secret } = await enrolAuthenticator(user);
  const first = await client.gql(SIGN_IN, { email: user.email, password: user.password });
  expect(first.signIn.status).toBe("SECOND_FACTOR_REQUIRED");
  expect(client.cookies.has(COOKIE)).toBe(false);
  return client.request("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", "x-laurel-csrf": "1", "user-agent": "SessionTest/1.0" },
    body: JSON.stringify({ query: VERIFY_CODE, variables: { code: totp(secret), remember: false } }),
  });
}

describe("session cookie", () => {
  it("is a 256-bit random token in an HttpOnly, Secure, SameSite=Lax __Host- cookie, stored in KV only as its SHA-256", async () => {
    const user = await createUser();
    const client = new TestClient();
    const response = await fullSignIn(client, user);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    const token = client.cookies.get(COOKIE)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await env.KV.get(`session:${token}`)).toBeNull();
    const stored = await env.KV.get<Session>(`session:${await sha256Hex(token)}`, "json");
    expect(stored?.userId).toBe(user.id);
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = await env.KV.list({ prefix: `user-sessions:${user.id}:` });
    expect(listed.keys[0]?.expiration).toBeGreaterThan(Date.now() / 1000);
  });

  it("ignores a forged or unknown token", async () => {
    const client = new TestClient();
    client.cookies.set(COOKIE, "A".repeat(43));
    expect((await client.gql(ME)).me).toBeNull();
  });
});

describe("expiry", () => {
  async function rewrite(token: string, change: (s: Session) => void) {
    const key = `session:${await sha256Hex(token)}`;
    const session = (await env.KV.get<Session>(key, "json"))!;
    change(session);
    await env.KV.put(key, JSON.stringify(session));
  }

  it("ends a session idle for more than 7 days", async () => {
    const user = await createUser();
    const client = new TestClient();
    await signInAs(client, user);
    await rewrite(client.cookies.get(COOKIE)!, (s) => {
      s.lastSeenAt = Date.now() - 7 * DAY - 1000;
    });
    expect((await client.gql(ME)).me).toBeNull();
  });

  it("ends a session 30 days after sign-in however active", async () => {
    const user = await createUser();
    const client = new TestClient();
    await signInAs(client, user);
    await rewrite(client.cookies.get(COOKIE)!, (s) => {
      s.createdAt = Date.now() - 30 * DAY - 1000;
      s.expiresAt = Date.now() - 1000;
    });
    expect((await client.gql(ME)).me).toBeNull();
  });

  it("refreshes last-seen at most hourly", async () => {
    const user = await createUser();
    const client = new TestClient();
    await signInAs(client, user);
    const token = client.cookies.get(COOKIE)!;
    await rewrite(token, (s) => {
      s.lastSeenAt = Date.now() - 2 * 3600_000;
    });
    await client.gql(ME);
    const after = await env.KV.get<Session>(`session:${await sha256Hex(token)}`, "json");
    expect(after!.lastSeenAt).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe("managing sessions", () => {
  it("lists the user's sessions and revokes another one", async () => {
    const user = await createUser();
    const laptop = new TestClient();
    const phone = new TestClient();
    await fullSignIn(laptop, user);
    await signInAs(phone, user);
    const { mySessions } = await laptop.gql(SESSIONS);
    expect(mySessions).toHaveLength(2);
    expect(mySessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = mySessions.find((s: { current: boolean }) => !s.current);
    const revoked = await laptop.gql("mutation ($id: ID!) { revokeSession(id: $id) { __typename } }", { id: other.id });
    expect(revoked.revokeSession.__typename).toBe("SessionRevoked");
    expect((await phone.gql(ME)).me).toBeNull();
    expect((await laptop.gql(ME)).me.id).toBe(user.id);
  });

  it("cannot revoke someone else's session", async () => {
    const alice = await createUser();
    const bob = await createUser();
    const aliceClient = new TestClient();
    const bobClient = new TestClient();
    await signInAs(aliceClient, alice);
    await signInAs(bobClient, bob);
    const bobSession = (await bobClient.gql(SESSIONS)).mySessions[0];
    const attempt = await aliceClient.gql("mutation ($id: ID!) { revokeSession(id: $id) { __typename } }", { id: bobSession.id });
    expect(attempt.revokeSession.__typename).toBe("NotFoundError");
    expect((await bobClient.gql(ME)).me.id).toBe(bob.id);
  });

  it("signs out every other session", async () => {
    const user = await createUser();
    const clients = [new TestClient(), new TestClient(), new TestClient()];
    for (const c of clients) await signInAs(c, user);
    const [keep, ...others] = clients as [TestClient, ...TestClient[]];
    expect((await keep.gql("mutation { signOutOtherSessions }")).signOutOtherSessions).toBe(2);
    for (const c of others) expect((await c.gql(ME)).me).toBeNull();
    expect((await keep.gql(ME)).me.id).toBe(user.id);
  });

  it("requires a session to list sessions", async () => {
    const response = await new TestClient().request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
      body: JSON.stringify({ query: SESSIONS }),
    });
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]).toMatchObject({ message: "Sign in to continue.", extensions: { code: "UNAUTHENTICATED" } });
  });
});
