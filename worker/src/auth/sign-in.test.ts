import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ME, SIGN_IN } from "../../test/accounts";
import { settledMailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser } from "../../test/fixtures";
import { ageAttempts, attemptRow } from "../../test/throttling";
import { passwordKeys } from "../throttling/policies";

const wrong = { password: "not the password at all" };

async function failTimes(client: TestClient, email: string, times: number) {
  const answers = [];
  for (let i = 0; i < times; i++) answers.push((await client.gql(SIGN_IN, { email, ...wrong })).signIn);
  return answers;
}

describe("sign in", () => {
  it("rejects a wrong password and an unknown email with the same answer", async () => {
    const user = await createUser();
    const a = await new TestClient().gql(SIGN_IN, { email: user.email, ...wrong });
    const b = await new TestClient().gql(SIGN_IN, { email: uniqueEmail(), ...wrong });
    expect(a).toEqual(b);
    expect(a.signIn.__typename).toBe("InvalidCredentialsError");
  });

  it("validates input before checking anything", async () => {
    const { signIn } = await new TestClient().gql(SIGN_IN, { email: "nope", password: "" });
    expect(signIn.__typename).toBe("ValidationError");
    expect(signIn.fieldErrors.map((f: { field: string }) => f.field)).toEqual(["email", "password"]);
  });

  it("is case-insensitive about the email", async () => {
    const user = await createUser();
    const { signIn } = await new TestClient().gql(SIGN_IN, { email: ` ${user.email.toUpperCase()} `, password: user.password });
    expect(signIn.__typename).not.toMatch(/Error$/);
  });
});

describe("brute-force protection", () => {
  it("locks password sign-in for 15 minutes after 10 failures, says so, and emails the owner once", async () => {
    const user = await createUser();
    const client = new TestClient();
    const answers = await failTimes(client, user.email, 10);
    expect(answers.slice(0, 9).every((a) => a.__typename === "InvalidCredentialsError")).toBe(true);
    expect(answers[9]).toMatchObject({ __typename: "RateLimitedError", message: expect.stringMatching(/paused for 15 minutes/) });
    // Even the right password is refused while locked.
    const locked = await client.gql(SIGN_IN, { email: user.email, password: user.password });
    expect(locked.signIn.__typename).toBe("RateLimitedError");
    expect(locked.signIn.retryAfterSeconds).toBeGreaterThan(14 * 60);
    const mails = (await settledMailTo(user.email)).filter((m) => m.subject.includes("paused"));
    expect(mails).toHaveLength(1);
    // The counter is in D1, not KV, keyed by the address and the network it came from.
    const row = await attemptRow(passwordKeys(user.email, client.ip)[0]!);
    expect(row?.paused_until).toBeGreaterThan(Date.now());
  });

  it("unlocks when the lock has passed", async () => {
    const user = await createUser();
    const client = new TestClient();
    await failTimes(client, user.email, 10);
    await ageAttempts(passwordKeys(user.email, client.ip), 15 * 60_000);
    const { signIn } = await client.gql(SIGN_IN, { email: user.email, password: user.password });
    expect(signIn.__typename).not.toMatch(/Error$/);
  });

  it("locks an unknown email exactly like a known one (no enumeration through the lock)", async () => {
    const client = new TestClient();
    const answers = await failTimes(client, uniqueEmail(), 10);
    expect(answers[9]?.__typename).toBe("RateLimitedError");
  });

  it("counts racing failures exactly and sends one lock email", async () => {
    const user = await createUser();
    const client = new TestClient();
    await Promise.all(Array.from({ length: 12 }, () => client.gql(SIGN_IN, { email: user.email, ...wrong })));
    expect((await settledMailTo(user.email)).filter((m) => m.subject.includes("paused"))).toHaveLength(1);
  });

  it("never allows more than 100 failures an hour per address, whatever the network", async () => {
    const user = await createUser();
    const ceiling = passwordKeys(user.email, null)[2]!;
    const now = Date.now();
    await env.DB.prepare(
      "insert into attempt_windows (key, attempts, window_started_at, paused_until, holder, expires_at) values (?, 99, ?, null, null, ?)",
    )
      .bind(ceiling.key, now - 30 * 60_000, now + 30 * 60_000)
      .run();
    const [answer] = await failTimes(new TestClient(), user.email, 1);
    expect(answer?.__typename).toBe("RateLimitedError");
    expect(answer?.retryAfterSeconds).toBeGreaterThanOrEqual(59 * 60);
    expect((await new TestClient().gql(SIGN_IN, { email: user.email, password: user.password })).signIn.__typename).toBe(
      "RateLimitedError",
    );
  });

  it("limits failures per IP address across many accounts", async () => {
    const client = new TestClient("203.0.113.77");
    for (let i = 0; i < 50; i++) await client.gql(SIGN_IN, { email: uniqueEmail(), ...wrong });
    const user = await createUser();
    const { signIn } = await client.gql(SIGN_IN, { email: user.email, password: user.password });
    expect(signIn.__typename).toBe("RateLimitedError");
    // Another address is not affected.
    const other = await new TestClient("203.0.113.78").gql(SIGN_IN, { email: user.email, password: user.password });
    expect(other.signIn.__typename).not.toMatch(/Error$/);
  });
});

describe("sign out", () => {
  it("ends the session", async () => {
    const user = await createUser();
    const client = new TestClient();
    await client.gql(SIGN_IN, { email: user.email, password: user.password });
    await client.gql("mutation { signOut }");
    expect((await client.gql(ME)).me).toBeNull();
  });
});
