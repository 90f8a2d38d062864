import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ME, SIGN_IN } from "../../test/accounts";
import { latestMailTo, settledMailTo, TestClient } from "../../test/client";
import { createUser, type TestUser } from "../../test/fixtures";
import { ACKNOWLEDGE, enrolAuthenticator, PENDING, signInWithCode, totp, VERIFY_CODE, VERIFY_RECOVERY } from "../../test/mfa";
import { sha256Hex } from "../lib/crypto";

const SESSION = "__Host-laurel_session";
const PENDING_COOKIE = "__Host-laurel_pending";

const signIn = async (client: TestClient, user: TestUser) =>
  (await client.gql(SIGN_IN, { email: user.email, password: user.password })).signIn;
const verify = async (client: TestClient, code: string, remember = false) =>
  (await client.gql(VERIFY_CODE, { code, remember })).verifySignInCode;
const recover = async (client: TestClient, code: string) => (await client.gql(VERIFY_RECOVERY, { code })).verifyRecoveryCode;

describe("second factor at sign-in", () => {
  it("signs in with the code, and only then sets the session cookie", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const client = new TestClient();
    expect((await signIn(client, user)).status).toBe("SECOND_FACTOR_REQUIRED");
    expect(client.cookies.has(SESSION)).toBe(false);
    expect(await verify(client, totp(secret))).toMatchObject({ status: "SIGNED_IN", userId: user.id });
    expect(client.cookies.has(SESSION)).toBe(true);
    expect(client.cookies.has(PENDING_COOKIE)).toBe(false);
  });

  it("says a wrong code is wrong and lets the user retry", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const client = new TestClient();
    await signIn(client, user);
    const wrongCode = String((Number(totp(secret)) + 1) % 1_000_000).padStart(6, "0");
    expect(await verify(client, wrongCode)).toMatchObject({ __typename: "InvalidCodeError", attemptsLeft: 4 });
    expect((await verify(client, totp(secret))).status).toBe("SIGNED_IN");
  });

  it("rejects a code that was already accepted, and an older one after a newer", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const code = totp(secret);
    expect((await signInWithCode(new TestClient(), user, secret)).status).toBe("SIGNED_IN");
    const replay = new TestClient();
    await signIn(replay, user);
    const again = await verify(replay, code);
    expect(again).toMatchObject({
      __typename: "InvalidCodeError",
      message: "That code was already used. Wait for the next code in your app and enter it.",
    });
    expect(await verify(replay, totp(secret, -1))).toMatchObject({ __typename: "InvalidCodeError" });
    expect((await verify(replay, totp(secret, 1))).status).toBe("SIGNED_IN");
  });

  it("accepts one code once when two requests race with it", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const clients = Array.from({ length: 6 }, () => new TestClient());
    for (const c of clients) await signIn(c, user);
    const code = totp(secret);
    const results = await Promise.all(clients.map((c) => verify(c, code)));
    expect(results.filter((r) => r.status === "SIGNED_IN")).toHaveLength(1);
    expect(clients.filter((c) => c.cookies.has(SESSION))).toHaveLength(1);
  });

  it("ends the pending sign-in after 5 wrong codes", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const client = new TestClient();
    await signIn(client, user);
    const wrong = String((Number(totp(secret)) + 500_000) % 1_000_000).padStart(6, "0");
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await verify(client, wrong));
    expect(answers.slice(0, 4).map((a) => a.attemptsLeft)).toEqual([4, 3, 2, 1]);
    expect(answers[4]).toMatchObject({
      __typename: "SignInExpiredError",
      message: "Too many wrong codes. Sign in again to try once more.",
    });
    expect((await verify(client, totp(secret))).__typename).toBe("SignInExpiredError");
    expect(client.cookies.has(SESSION)).toBe(false);
  });

  it("locks code entry for the account for 15 minutes after 10 wrong codes, says so and emails once", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const wrong = String((Number(totp(secret)) + 500_000) % 1_000_000).padStart(6, "0");
    const answers = [];
    for (let round = 0; round < 3; round++) {
      const client = new TestClient();
      await signIn(client, user);
      for (let i = 0; i < 4; i++) answers.push(await verify(client, wrong));
    }
    expect(answers[8]?.__typename).toBe("InvalidCodeError");
    expect(answers[9]).toMatchObject({ __typename: "RateLimitedError" });
    expect(answers[9].message).toMatch(/Code entry is paused for 15 minutes/);
    expect(answers[9].retryAfterSeconds).toBeGreaterThan(14 * 60);
    const client = new TestClient();
    await signIn(client, user);
    expect((await verify(client, totp(secret))).__typename).toBe("RateLimitedError");
    expect((await recover(client, "0000-0000-0000-0000-0000-0000")).__typename).toBe("RateLimitedError");
    expect(
      (await settledMailTo(user.email)).filter((m) => m.subject.includes("Two-step sign-in to your Laurel account is paused")),
    ).toHaveLength(1);
    const audit = await env.DB.prepare("select count(*) as n from audit_log where action = 'mfa.locked' and subject_id = ?")
      .bind(user.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });

  it("refuses an expired pending sign-in", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const client = new TestClient();
    await signIn(client, user);
    await env.DB.prepare("update pending_sign_ins set expires_at = ? where user_id = ?")
      .bind(Date.now() - 1, user.id)
      .run();
    expect(await verify(client, totp(secret))).toMatchObject({
      __typename: "SignInExpiredError",
      message: "Your sign-in timed out. Sign in again.",
    });
    expect((await client.gql(PENDING)).pendingSignIn).toBeNull();
  });

  it("stores the pending sign-in only as a hash, with a 5-minute cookie", async () => {
    const user = await createUser();
    await enrolAuthenticator(user);
    const client = new TestClient();
    const response = await client.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
      body: JSON.stringify({ query: SIGN_IN, variables: { email: user.email, password: user.password } }),
    });
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${PENDING_COOKIE}=`));
    expect(cookie).toMatch(/Max-Age=300;/);
    expect(cookie).toMatch(/HttpOnly/);
    const token = client.cookies.get(PENDING_COOKIE)!;
    const row = await env.DB.prepare("select token_hash, expires_at, created_at from pending_sign_ins where user_id = ?")
      .bind(user.id)
      .first<{ token_hash: string; expires_at: number; created_at: number }>();
    expect(row?.token_hash).toBe(await sha256Hex(token));
    expect(row!.expires_at - row!.created_at).toBe(5 * 60_000);
  });
});

describe("recovery code", () => {
  it("signs in once, is replaced by a new code that must be acknowledged, and the old one dies", async () => {
    const user = await createUser();
    const { recoveryCode } = await enrolAuthenticator(user);
    const client = new TestClient();
    await signIn(client, user);
    // Typed in lower case, with spaces instead of dashes: still the same code.
    const issued = await recover(client, recoveryCode.toLowerCase().replaceAll("-", " "));
    expect(issued.__typename).toBe("RecoveryCodeIssued");
    expect(issued.recoveryCode).not.toBe(recoveryCode);
    expect(client.cookies.has(SESSION)).toBe(false);
    expect((await client.gql(ACKNOWLEDGE)).acknowledgeRecoveryCode.status).toBe("SIGNED_IN");
    expect((await client.gql(ME)).me.id).toBe(user.id);
    expect((await latestMailTo(user.email)).subject).toBe("Your Laurel recovery code was used");

    const later = new TestClient();
    await signIn(later, user);
    // The used code is told so, not given the authenticator app's message.
    expect(await recover(later, recoveryCode)).toMatchObject({
      __typename: "InvalidCodeError",
      attemptsLeft: 4,
      message:
        "That recovery code was already used, and the new one shown then replaced it. Enter your newest recovery code, or use a code from your authenticator app.",
    });
    expect((await recover(later, issued.recoveryCode)).__typename).toBe("RecoveryCodeIssued");
  });

  it("is single-use when requests race", async () => {
    const user = await createUser();
    const { recoveryCode } = await enrolAuthenticator(user);
    const clients = Array.from({ length: 5 }, () => new TestClient());
    for (const c of clients) await signIn(c, user);
    const results = await Promise.all(clients.map((c) => recover(c, recoveryCode)));
    expect(results.filter((r) => r.__typename === "RecoveryCodeIssued")).toHaveLength(1);
  });

  it("rejects a wrong or malformed code and counts it", async () => {
    const user = await createUser();
    await enrolAuthenticator(user);
    const client = new TestClient();
    await signIn(client, user);
    expect(await recover(client, "not a code")).toMatchObject({
      __typename: "InvalidCodeError",
      attemptsLeft: 4,
      message: "That recovery code is not right. Check it and try again, or use a code from your authenticator app.",
    });
    expect(await recover(client, "0000-0000-0000-0000-0000-0000")).toMatchObject({ __typename: "InvalidCodeError", attemptsLeft: 3 });
    expect((await recover(client, "  ")).fieldErrors[0].field).toBe("code");
  });
});
