import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ACTIVATE, ME, REGISTER, RESEND, registerAndActivate, registration, SIGN_IN, STRONG_PASSWORD } from "../../test/accounts";
import { codeIn, latestMailTo, settledMailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser } from "../../test/fixtures";
import { ageAttempts } from "../../test/throttling";
import { codeSendKeys } from "../throttling/policies";

const rows = async (sql: string, ...args: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...args)
      .all<Record<string, any>>()
  ).results;

describe("register", () => {
  it("rejects bad input field by field and changes nothing", async () => {
    const client = new TestClient();
    const email = "not-an-email";
    const { register } = await client.gql(REGISTER, registration(email, { firstName: " ", password: "short", acceptTerms: false }));
    expect(register.__typename).toBe("ValidationError");
    expect(register.fieldErrors.map((f: { field: string }) => f.field).sort()).toEqual(["acceptTerms", "email", "firstName", "password"]);
    expect(await rows("select * from email_codes where address = ?", email)).toHaveLength(0);
    expect(await settledMailTo(email)).toHaveLength(0);
  });

  it.each([
    ["too short", "abc1234"],
    ["among the most common", "password123"],
    ["common in any case", "QWERTYUIOP"],
    ["too long", "x".repeat(129)],
  ])("refuses a password that is %s", async (_why, password) => {
    const { register } = await new TestClient().gql(REGISTER, registration(uniqueEmail(), { password }));
    expect(register.__typename).toBe("ValidationError");
    expect(register.fieldErrors).toEqual([{ field: "password", message: expect.any(String) }]);
  });

  it("accepts 8 and 128 characters", async () => {
    for (const password of ["Zq8#kd!m", `${"y".repeat(127)}Q`]) {
      const { register } = await new TestClient().gql(REGISTER, registration(uniqueEmail(), { password }));
      expect(register.__typename).toBe("CodeSent");
    }
  });

  it("sends an activation email with a 6-digit code and a text and HTML part", async () => {
    const email = uniqueEmail();
    const { register } = await new TestClient().gql(REGISTER, registration(email.toUpperCase()));
    expect(register).toEqual({ __typename: "CodeSent", email });
    const mail = await latestMailTo(email);
    expect(mail.subject).toBe("Activate your Laurel account");
    expect(codeIn(mail)).toMatch(/^\d{6}$/);
    expect(mail.html).toContain(codeIn(mail));
    expect(await rows("select * from users u join emails e on e.user_id = u.id where e.address = ?", email)).toHaveLength(0);
  });

  it("activates with the code, records the accepted terms, and lets the user sign in", async () => {
    const client = new TestClient();
    const email = uniqueEmail();
    const before = Date.now();
    expect(await registerAndActivate(client, email)).toEqual({ __typename: "AccountActivated", email, reconnected: false });
    const [user] = await rows("select u.* from users u join emails e on e.user_id = u.id where e.address = ?", email);
    expect(user?.terms_version).toBe("2026-11-01");
    expect(user?.terms_accepted_at).toBeGreaterThanOrEqual(before);
    expect(user?.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    const audit = await rows("select action from audit_log where subject_id = ?", user?.id);
    expect(audit.map((a) => a.action)).toContain("account.registered");
    const signIn = await client.gql(SIGN_IN, { email, password: STRONG_PASSWORD });
    expect(signIn.signIn.__typename).not.toMatch(/Error$/);
  });
});

describe("activation codes", () => {
  async function pending() {
    const client = new TestClient();
    const email = uniqueEmail();
    await client.gql(REGISTER, registration(email));
    return { client, email, code: codeIn(await latestMailTo(email)) };
  }
  const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

  it("says how many tries are left, and kills the code after 5 wrong ones", async () => {
    const { client, email, code } = await pending();
    for (let left = 4; left >= 1; left--) {
      const { activateAccount } = await client.gql(ACTIVATE, { email, code: wrong(code) });
      expect(activateAccount).toMatchObject({ __typename: "InvalidCodeError", attemptsLeft: left });
    }
    const fifth = await client.gql(ACTIVATE, { email, code: wrong(code) });
    expect(fifth.activateAccount.message).toMatch(/no longer works/);
    const right = await client.gql(ACTIVATE, { email, code });
    expect(right.activateAccount.__typename).toBe("InvalidCodeError");
  });

  it("refuses an expired code", async () => {
    const { client, email, code } = await pending();
    await env.DB.prepare("update email_codes set expires_at = ? where address = ?")
      .bind(Date.now() - 1, email)
      .run();
    const { activateAccount } = await client.gql(ACTIVATE, { email, code });
    expect(activateAccount).toMatchObject({ __typename: "InvalidCodeError", message: expect.stringMatching(/expired/) });
  });

  it("refuses a reused code, also when two requests race", async () => {
    const { email, code } = await pending();
    const results = await Promise.all([new TestClient().gql(ACTIVATE, { email, code }), new TestClient().gql(ACTIVATE, { email, code })]);
    expect(results.map((r) => r.activateAccount.__typename).sort()).toEqual(["AccountActivated", "InvalidCodeError"]);
    const again = await new TestClient().gql(ACTIVATE, { email, code });
    expect(again.activateAccount.__typename).toBe("InvalidCodeError");
    expect(await rows("select * from emails where address = ?", email)).toHaveLength(1);
  });

  it("rejects a malformed code without spending a try", async () => {
    const { client, email, code } = await pending();
    const { activateAccount } = await client.gql(ACTIVATE, { email, code: "12ab" });
    expect(activateAccount.__typename).toBe("ValidationError");
    expect((await client.gql(ACTIVATE, { email, code: wrong(code) })).activateAccount.attemptsLeft).toBe(4);
    expect((await client.gql(ACTIVATE, { email, code })).activateAccount.__typename).toBe("AccountActivated");
  });

  it("throttles resending: a minute apart, five in a row then a five-minute pause; a resent code replaces the old one", async () => {
    const { client, email, code } = await pending();
    const sends = codeSendKeys("register", email, client.ip);
    const tooSoon = await client.gql(RESEND, { email });
    expect(tooSoon.resendActivationCode).toMatchObject({
      __typename: "RateLimitedError",
      message: expect.stringMatching(/^We just sent a code. You can ask for another in \d+ seconds.$/),
      retryAfterSeconds: expect.any(Number),
    });
    await ageAttempts(sends, 61_000);
    expect((await client.gql(RESEND, { email })).resendActivationCode.__typename).toBe("CodeSent");
    const newCode = codeIn(await latestMailTo(email));
    if (newCode !== code) expect((await client.gql(ACTIVATE, { email, code })).activateAccount.__typename).toBe("InvalidCodeError");
    for (let i = 0; i < 3; i++) {
      await ageAttempts(sends, 61_000);
      expect((await client.gql(RESEND, { email })).resendActivationCode.__typename).toBe("CodeSent");
    }
    await ageAttempts(sends, 61_000);
    const paused = await client.gql(RESEND, { email });
    expect(paused.resendActivationCode).toMatchObject({
      __typename: "RateLimitedError",
      message: expect.stringMatching(/several codes/),
      retryAfterSeconds: expect.any(Number),
    });
    expect(paused.resendActivationCode.retryAfterSeconds).toBeLessThanOrEqual(5 * 60);
    expect(await settledMailTo(email)).toHaveLength(5);
    // A short pause, not an hour's wall: after it the owner gets a code again.
    await ageAttempts(sends, 5 * 60_000);
    expect((await client.gql(RESEND, { email })).resendActivationCode.__typename).toBe("CodeSent");
  });
});

describe("re-registering an existing email", () => {
  it("reconnects to the old account: no duplicate, data kept, new password set", async () => {
    const user = await createUser({ firstName: "Grace" });
    const client = new TestClient();
    await client.gql(REGISTER, registration(user.email, { firstName: "Someone", password: "a brand new passphrase" }));
    const mail = await latestMailTo(user.email);
    expect(mail.subject).toBe("Reconnect to your Laurel account");
    // Until the code comes back, the old password still works; the new one is told to wait for the code.
    expect((await client.gql(SIGN_IN, { email: user.email, password: "a brand new passphrase" })).signIn.__typename).toBe(
      "ActivationPendingError",
    );
    const { activateAccount } = await client.gql(ACTIVATE, { email: user.email, code: codeIn(mail) });
    expect(activateAccount).toEqual({ __typename: "AccountActivated", email: user.email, reconnected: true });
    expect(await rows("select * from emails where address = ?", user.email)).toHaveLength(1);
    const [row] = await rows("select * from users where id = ?", user.id);
    expect(row?.first_name).toBe("Grace");
    expect((await client.gql(SIGN_IN, { email: user.email, password: user.password })).signIn.__typename).toBe("InvalidCredentialsError");
    expect((await client.gql(SIGN_IN, { email: user.email, password: "a brand new passphrase" })).signIn.__typename).not.toMatch(/Error$/);
  });
});

describe("no account enumeration", () => {
  it("answers register identically for a new and an existing email", async () => {
    const existing = await createUser();
    const fresh = uniqueEmail();
    const a = await new TestClient().gql(REGISTER, registration(existing.email));
    const b = await new TestClient().gql(REGISTER, registration(fresh));
    expect(a.register).toEqual({ __typename: "CodeSent", email: existing.email });
    expect(b.register).toEqual({ __typename: "CodeSent", email: fresh });
    expect(await settledMailTo(existing.email)).toHaveLength(1);
    expect(await settledMailTo(fresh)).toHaveLength(1);
  });

  it("does not sign in before activation: only the registration's password learns it waits for its code", async () => {
    const client = new TestClient();
    const email = uniqueEmail();
    await client.gql(REGISTER, registration(email));
    const { signIn } = await client.gql(SIGN_IN, { email, password: STRONG_PASSWORD });
    expect(signIn.__typename).toBe("ActivationPendingError");
    expect((await client.gql(ME)).me).toBeNull();
    const wrong = await client.gql(SIGN_IN, { email, password: "another password entirely" });
    expect(wrong.signIn).toEqual({ __typename: "InvalidCredentialsError", message: "The email or password is not correct." });
  });
});
