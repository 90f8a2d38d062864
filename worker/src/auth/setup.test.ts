import { env } from "cloudflare:workers";
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { ME, SIGN_IN } from "../../test/accounts";
import { latestMailTo, TestClient } from "../../test/client";
import { createUser, type TestUser } from "../../test/fixtures";
import { ACKNOWLEDGE, BEGIN_SETUP, CONFIRM_SETUP, enrolAuthenticator, PENDING, totp } from "../../test/mfa";
import { sha256Hex } from "../lib/crypto";

const SESSION = "__Host-laurel_session";
const PENDING_COOKIE = "__Host-laurel_pending";

const signIn = async (client: TestClient, user: TestUser) =>
  (await client.gql(SIGN_IN, { email: user.email, password: user.password })).signIn;

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
    // The set-up page tells an account with a password that it signs in with it.
    expect(setup.hasPassword).toBe(true);
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
    expect((await latestMailTo(user.email)).subject).toBe("Two-step sign-in is on for your Laurel account");

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
