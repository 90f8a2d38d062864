import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ME, REQUEST_RESET, RESET, SIGN_IN } from "../../test/accounts";
import { codeIn, latestMailTo, TestClient } from "../../test/client";
import { createUser, signInAs, type TestUser } from "../../test/fixtures";
import { enrolAuthenticator, MY_MFA, signInWithCode, totp, VERIFY_CODE, VERIFY_RECOVERY } from "../../test/mfa";
import { sha256Hex } from "../lib/crypto";

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
    const code = codeIn(await latestMailTo(user.email));
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
    expect((await latestMailTo(user.email)).subject).toBe("Your Laurel authenticator app was replaced");

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
    expect((await latestMailTo(user.email)).subject).toBe("The two-step sign-in of your Laurel account was reset");
    expect((await userClient.gql(ME)).me).toBeNull();
    expect((await signIn(new TestClient(), user)).status).toBe("MFA_SETUP_REQUIRED");
  });
});
