import { env } from "cloudflare:workers";
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { ME, REQUEST_RESET, RESET, SIGN_IN } from "../../test/accounts";
import { codeIn, lastMailTo, mailTo, TestClient } from "../../test/client";
import { createUser, signInAs, type TestUser } from "../../test/fixtures";
import {
  ACKNOWLEDGE,
  BEGIN_SETUP,
  CONFIRM_SETUP,
  enrolAuthenticator,
  MY_MFA,
  PENDING,
  signInWithCode,
  totp,
  VERIFY_CODE,
  VERIFY_RECOVERY,
} from "../../test/mfa";
import { sha256Hex } from "../lib/crypto";

const SESSION = "__Host-laurel_session";
const PENDING_COOKIE = "__Host-laurel_pending";
const DEVICE = "__Host-laurel_device";

const signIn = async (client: TestClient, user: TestUser) =>
  (await client.gql(SIGN_IN, { email: user.email, password: user.password })).signIn;
const verify = async (client: TestClient, code: string, remember = false) =>
  (await client.gql(VERIFY_CODE, { code, remember })).verifySignInCode;
const recover = async (client: TestClient, code: string) => (await client.gql(VERIFY_RECOVERY, { code })).verifyRecoveryCode;

/** A signed-in client of a user with an authenticator. */
async function enrolledAndSignedIn() {
  const user = await createUser();
  const { secret, recoveryCode } = await enrolAuthenticator(user);
  const client = new TestClient();
  await signInAs(client, user);
  return { user, secret, recoveryCode, client };
}

describe("set-up at the first sign-in", () => {
  it("walks an account without an authenticator through QR code, code, recovery code and acknowledgement", async () => {
    const user = await createUser();
    const client = new TestClient();

    const first = await signIn(client, user);
    expect(first).toMatchObject({ __typename: "SignInStep", status: "MFA_SETUP_REQUIRED", userId: null });
    expect(client.cookies.has(SESSION)).toBe(false);
    expect(client.cookies.get(PENDING_COOKIE)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Nothing else is reachable with a pending sign-in.
    expect((await client.gql(ME)).me).toBeNull();
    expect((await client.gql(PENDING)).pendingSignIn).toMatchObject({ stage: "SETUP", email: user.email });

    const setup = (await client.gql(BEGIN_SETUP)).beginMfaSetup;
    expect(setup.__typename).toBe("MfaEnrolment");
    expect(setup.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(setup.secret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(setup.accountName).toBe(user.email);
    const secret = setup.secret.replaceAll(" ", "");
    const stored = await env.DB.prepare("select secret_box from mfa_authenticators where user_id = ?")
      .bind(user.id)
      .first<{ secret_box: string }>();
    expect(stored?.secret_box).toMatch(/^v1\./);
    expect(stored?.secret_box).not.toContain(secret);

    const wrong = (await client.gql(CONFIRM_SETUP, { code: totp(secret) === "000000" ? "111111" : "000000" })).confirmMfaSetup;
    expect(wrong).toMatchObject({ __typename: "InvalidCodeError" });
    const malformed = (await client.gql(CONFIRM_SETUP, { code: "12ab" })).confirmMfaSetup;
    expect(malformed.fieldErrors).toEqual([{ field: "code", message: "Enter the 6-digit code from your authenticator app." }]);

    const confirmed = (await client.gql(CONFIRM_SETUP, { code: totp(secret) })).confirmMfaSetup;
    expect(confirmed.__typename).toBe("RecoveryCodeIssued");
    expect(confirmed.recoveryCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){5}$/);
    const hashRow = await env.DB.prepare("select code_hash from mfa_recovery_codes where user_id = ?")
      .bind(user.id)
      .first<{ code_hash: string }>();
    expect(hashRow?.code_hash).toBe(await sha256Hex(confirmed.recoveryCode.replaceAll("-", "")));
    // Still no session until the user confirms they saved the code.
    expect(client.cookies.has(SESSION)).toBe(false);
    expect((await client.gql(PENDING)).pendingSignIn.stage).toBe("ACKNOWLEDGE");

    const done = (await client.gql(ACKNOWLEDGE)).acknowledgeRecoveryCode;
    expect(done).toMatchObject({ status: "SIGNED_IN", userId: user.id });
    expect(client.cookies.has(PENDING_COOKIE)).toBe(false);
    expect((await client.gql(ME)).me.id).toBe(user.id);
    expect((await lastMailTo(user.email)).subject).toBe("Two-step sign-in is on for your Laurel account");

    // From now on the password alone is not enough.
    expect((await signIn(new TestClient(), user)).status).toBe("SECOND_FACTOR_REQUIRED");
  });

  it("refuses set-up steps without a pending sign-in, and set-up once an authenticator exists", async () => {
    expect((await new TestClient().gql(BEGIN_SETUP)).beginMfaSetup.__typename).toBe("SignInExpiredError");
    expect((await new TestClient().gql(ACKNOWLEDGE)).acknowledgeRecoveryCode.__typename).toBe("SignInExpiredError");
    const user = await createUser();
    await enrolAuthenticator(user);
    const client = new TestClient();
    await signIn(client, user);
    expect((await client.gql(BEGIN_SETUP)).beginMfaSetup.__typename).toBe("SignInExpiredError");
    expect((await client.gql(ACKNOWLEDGE)).acknowledgeRecoveryCode.__typename).toBe("SignInExpiredError");
  });
});

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
    expect((await mailTo(user.email)).filter((m) => m.subject.includes("Two-step sign-in to your Laurel account is paused"))).toHaveLength(
      1,
    );
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
    expect((await lastMailTo(user.email)).subject).toBe("Your Laurel recovery code was used");

    const later = new TestClient();
    await signIn(later, user);
    expect(await recover(later, recoveryCode)).toMatchObject({ __typename: "InvalidCodeError", attemptsLeft: 4 });
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
    expect(await recover(client, "not a code")).toMatchObject({ __typename: "InvalidCodeError", attemptsLeft: 4 });
    expect(await recover(client, "0000-0000-0000-0000-0000-0000")).toMatchObject({ __typename: "InvalidCodeError", attemptsLeft: 3 });
    expect((await recover(client, "  ")).fieldErrors[0].field).toBe("code");
  });
});

describe("remember this device for 30 days", () => {
  it("skips the code on that browser only, with a token replaced on each use", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const browser = new TestClient();
    const response = await (async () => {
      await signIn(browser, user);
      return browser.request("/graphql", {
        method: "POST",
        headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
        body: JSON.stringify({ query: VERIFY_CODE, variables: { code: totp(secret), remember: true } }),
      });
    })();
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE}=`));
    expect(cookie).toMatch(/Max-Age=2592000;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    const token = browser.cookies.get(DEVICE)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await env.KV.get(`device:${token}`)).toBeNull();
    expect(await env.KV.get(`device:${await sha256Hex(token)}`)).not.toBeNull();

    // A fresh browser context that carries only the device cookie: no code asked.
    const sameDevice = new TestClient();
    sameDevice.cookies.set(DEVICE, token);
    expect(await signIn(sameDevice, user)).toMatchObject({ status: "SIGNED_IN", userId: user.id });
    const rotated = sameDevice.cookies.get(DEVICE)!;
    expect(rotated).not.toBe(token);
    expect(await env.KV.get(`device:${await sha256Hex(token)}`)).toBeNull();

    // The replaced token no longer works; a browser without the cookie is asked for a code.
    const stale = new TestClient();
    stale.cookies.set(DEVICE, token);
    expect((await signIn(stale, user)).status).toBe("SECOND_FACTOR_REQUIRED");
    expect((await signIn(new TestClient(), user)).status).toBe("SECOND_FACTOR_REQUIRED");

    // It belongs to its user: another account signing in on that browser is asked for a code.
    const other = await createUser();
    await enrolAuthenticator(other);
    const shared = new TestClient();
    shared.cookies.set(DEVICE, rotated);
    expect((await signIn(shared, other)).status).toBe("SECOND_FACTOR_REQUIRED");
  });

  it("is listed in settings and forgotten by 'forget all', a password reset, and after 30 days", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const browser = new TestClient();
    await signInWithCode(browser, user, secret, { remember: true });
    const settings = (await browser.gql(MY_MFA)).myMfa;
    expect(settings.rememberedDevices).toHaveLength(1);
    expect(settings.rememberedDevices[0].current).toBe(true);

    expect((await browser.gql("mutation { forgetRememberedDevices }")).forgetRememberedDevices).toBe(1);
    const deviceToken = browser.cookies.get(DEVICE)!;
    const after = new TestClient();
    after.cookies.set(DEVICE, deviceToken);
    expect((await signIn(after, user)).status).toBe("SECOND_FACTOR_REQUIRED");

    // Remember again, then reset the password: the device asks again.
    const second = new TestClient();
    await signInWithCode(second, user, secret, { remember: true, offsetSteps: 1 });
    const token = second.cookies.get(DEVICE)!;
    await new TestClient().gql(REQUEST_RESET, { email: user.email });
    const code = codeIn(await lastMailTo(user.email));
    const newPassword = "an entirely new passphrase";
    expect((await new TestClient().gql(RESET, { email: user.email, code, password: newPassword })).resetPassword.__typename).toBe(
      "PasswordReset",
    );
    const afterReset = new TestClient();
    afterReset.cookies.set(DEVICE, token);
    expect((await signIn(afterReset, { ...user, password: newPassword })).status).toBe("SECOND_FACTOR_REQUIRED");
  });

  it("expires 30 days after it was remembered, however often it is used", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const browser = new TestClient();
    await signInWithCode(browser, user, secret, { remember: true });
    const key = `device:${await sha256Hex(browser.cookies.get(DEVICE)!)}`;
    const record = (await env.KV.get<{ createdAt: number; expiresAt: number }>(key, "json"))!;
    expect(record.expiresAt - record.createdAt).toBe(30 * 24 * 3600_000);
    await env.KV.put(key, JSON.stringify({ ...record, expiresAt: Date.now() - 1 }));
    const later = new TestClient();
    later.cookies.set(DEVICE, browser.cookies.get(DEVICE)!);
    expect((await signIn(later, user)).status).toBe("SECOND_FACTOR_REQUIRED");
  });
});

describe("settings", () => {
  const BEGIN_REPLACE = `mutation ($password: String, $code: String!) { beginAuthenticatorReplacement(password: $password, code: $code) {
    __typename ... on Error { message } ... on ValidationError { fieldErrors { field message } } ... on MfaEnrolment { secret } } }`;
  const CONFIRM_REPLACE = `mutation ($code: String!) { confirmAuthenticatorReplacement(code: $code) { __typename ... on Error { message } ... on MfaSettings { enabledAt } } }`;
  const REGENERATE = `mutation ($code: String!) { regenerateRecoveryCode(code: $code) { __typename ... on Error { message } ... on RecoveryCodeIssued { recoveryCode } } }`;

  it("replaces the authenticator with the password and a current code; the old app's codes stop working", async () => {
    const { user, secret, client } = await enrolledAndSignedIn();
    const badPassword = (await client.gql(BEGIN_REPLACE, { password: "not my password", code: totp(secret) }))
      .beginAuthenticatorReplacement;
    expect(badPassword.fieldErrors).toEqual([{ field: "password", message: "That password is not right." }]);
    const noPassword = (await client.gql(BEGIN_REPLACE, { code: totp(secret) })).beginAuthenticatorReplacement;
    expect(noPassword.fieldErrors[0].field).toBe("password");

    const started = (await client.gql(BEGIN_REPLACE, { password: user.password, code: totp(secret, 1) })).beginAuthenticatorReplacement;
    expect(started.__typename).toBe("MfaEnrolment");
    const newSecret = started.secret.replaceAll(" ", "");
    // Until confirmed, the old app still works.
    expect((await signIn(new TestClient(), user)).status).toBe("SECOND_FACTOR_REQUIRED");
    const confirmed = (await client.gql(CONFIRM_REPLACE, { code: totp(newSecret) })).confirmAuthenticatorReplacement;
    expect(confirmed.__typename).toBe("MfaSettings");
    expect((await lastMailTo(user.email)).subject).toBe("Your Laurel authenticator app was replaced");

    const old = new TestClient();
    await signIn(old, user);
    expect((await verify(old, totp(secret, -1))).__typename).toBe("InvalidCodeError");
    expect((await verify(old, totp(newSecret, 1))).status).toBe("SIGNED_IN");
  });

  it("generates a new recovery code after a current code; the old one dies", async () => {
    const { user, secret, recoveryCode, client } = await enrolledAndSignedIn();
    const fresh = (await client.gql(REGENERATE, { code: totp(secret) })).regenerateRecoveryCode;
    expect(fresh.__typename).toBe("RecoveryCodeIssued");
    const later = new TestClient();
    await signIn(later, user);
    expect((await recover(later, recoveryCode)).__typename).toBe("InvalidCodeError");
    expect((await recover(later, fresh.recoveryCode)).__typename).toBe("RecoveryCodeIssued");
  });

  it("needs a session", async () => {
    const response = await new TestClient().request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
      body: JSON.stringify({ query: MY_MFA }),
    });
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe("UNAUTHENTICATED");
  });
});

describe("staff reset of a locked-out user's MFA", () => {
  const RESET_MFA = `mutation ($userId: ID!, $reason: String!) { resetUserMfa(userId: $userId, reason: $reason) {
    __typename ... on Error { message } ... on ValidationError { fieldErrors { field } } ... on User { id } } }`;

  it("is staff-only, audited with the reason, emails the user, ends their sessions and restarts set-up", async () => {
    const { user, client: userClient } = await enrolledAndSignedIn();
    const learner = new TestClient();
    await signInAs(learner, await createUser());
    const refused = await learner.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
      body: JSON.stringify({ query: RESET_MFA, variables: { userId: user.id, reason: "ticket 42" } }),
    });
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe("FORBIDDEN");

    const staff = await createUser({ role: "staff" });
    const staffClient = new TestClient();
    await signInAs(staffClient, staff);
    expect((await staffClient.gql(RESET_MFA, { userId: user.id, reason: "" })).resetUserMfa.fieldErrors).toEqual([{ field: "reason" }]);
    expect((await staffClient.gql(RESET_MFA, { userId: "nobody", reason: "ticket 42" })).resetUserMfa.__typename).toBe("NotFoundError");
    expect((await staffClient.gql(RESET_MFA, { userId: user.id, reason: "ticket 42: lost phone" })).resetUserMfa).toEqual({
      __typename: "User",
      id: user.id,
    });

    const audit = await env.DB.prepare("select actor_user_id, data from audit_log where action = 'mfa.reset-by-staff' and subject_id = ?")
      .bind(user.id)
      .first<{ actor_user_id: string; data: string }>();
    expect(audit?.actor_user_id).toBe(staff.id);
    expect(JSON.parse(audit!.data)).toEqual({ reason: "ticket 42: lost phone" });
    expect((await lastMailTo(user.email)).subject).toBe("The two-step sign-in of your Laurel account was reset");
    expect((await userClient.gql(ME)).me).toBeNull();
    expect((await signIn(new TestClient(), user)).status).toBe("MFA_SETUP_REQUIRED");
  });
});

describe("codes from an independent authenticator implementation", () => {
  it("sets up with a code from an otpauth TOTP built from the shown secret, as an app would", async () => {
    const user = await createUser();
    const client = new TestClient();
    await signIn(client, user);
    const { secret } = (await client.gql(BEGIN_SETUP)).beginMfaSetup;
    const app = new OTPAuth.TOTP({ issuer: "Laurel", label: user.email, secret: OTPAuth.Secret.fromBase32(secret.replaceAll(" ", "")) });
    expect((await client.gql(CONFIRM_SETUP, { code: app.generate() })).confirmMfaSetup.__typename).toBe("RecoveryCodeIssued");
  });
});
