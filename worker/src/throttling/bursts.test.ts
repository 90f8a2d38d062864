import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ACTIVATE, REGISTER, REQUEST_RESET, RESET, registration, SIGN_IN } from "../../test/accounts";
import { codeIn, latestMailTo, settledMailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { enrolAuthenticator, totp, VERIFY_CODE, VERIFY_RECOVERY } from "../../test/mfa";

// Guesses sent all at once must never get more checked than a limit allows, and the right
// guess sent after the limit is used up must not get in. The Worker runs in this isolate, so
// spies on WebCrypto count the checks themselves: one PBKDF2 derivation per password, one
// HMAC-SHA-256 per emailed code, three HMAC-SHA-1 (the time steps) per authenticator code.

const SESSION = "__Host-laurel_session";
// Hundreds of requests: on a busy two-core machine these take minutes, not seconds.
const BURST_TIMEOUT = { timeout: 300_000 };

let network = Math.floor(Math.random() * 200);
/** A client on a network of its own, so other tests' counts never meet this one's. */
const freshClient = () => {
  network += 1;
  return new TestClient(`198.18.${network % 250}.${Math.floor(network / 250) + 1}`);
};

function countCalls(method: "deriveBits" | "importKey", matches: (algorithm: unknown) => boolean) {
  const spy = vi.spyOn(crypto.subtle, method as "importKey");
  return () => spy.mock.calls.filter((args) => matches(method === "deriveBits" ? args[0] : args[2])).length;
}
const isPbkdf2 = (a: unknown) => (a as { name?: string })?.name === "PBKDF2";
const isHmac = (hash: string) => (a: unknown) =>
  (a as { name?: string })?.name === "HMAC" && (a as { hash?: string | { name: string } }).hash === hash;

afterEach(() => {
  vi.restoreAllMocks();
});

const wrongCodeFor = (code: string, offset: number) => String((Number(code) + 1000 + offset) % 1_000_000).padStart(6, "0");

describe("password bursts", () => {
  it(
    "150 guesses at one account from one network check at most 10 passwords; the right one after them does not sign in",
    BURST_TIMEOUT,
    async () => {
      const user = await createUser();
      const client = freshClient();
      const checks = countCalls("deriveBits", isPbkdf2);
      const guesses = [
        ...Array.from({ length: 150 }, (_, i) => ({ email: user.email, password: `wrong guess ${i}` })),
        ...Array.from({ length: 5 }, () => ({ email: user.email, password: user.password })),
      ];
      const answers = await Promise.all(guesses.map((g) => client.gql(SIGN_IN, g)));
      expect(checks()).toBeLessThanOrEqual(10);
      expect(answers.filter((a) => a.signIn.__typename === "SignInStep")).toHaveLength(0);
      expect(answers.at(-1).signIn.__typename).toBe("RateLimitedError");
    },
  );

  it("150 guesses at 150 addresses from one network check at most 50 passwords", BURST_TIMEOUT, async () => {
    // The first unknown address builds the stand-in hash; that is set-up, not a guess.
    await freshClient().gql(SIGN_IN, { email: uniqueEmail(), password: "warming up the dummy" });
    const client = freshClient();
    const checks = countCalls("deriveBits", isPbkdf2);
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) => client.gql(SIGN_IN, { email: uniqueEmail(`spray${i}`), password: "Summer2026!" })),
    );
    expect(checks()).toBeLessThanOrEqual(50);
    expect(answers.filter((a) => a.signIn.__typename === "RateLimitedError").length).toBeGreaterThanOrEqual(100);
  });
});

describe("second-factor bursts", () => {
  it(
    "50 pending sign-ins × 4 wrong codes at once check at most 10 codes; the right code after them does not sign in",
    BURST_TIMEOUT,
    async () => {
      const user = await createUser();
      const { secret } = await enrolAuthenticator(user);
      const clients = Array.from({ length: 50 }, freshClient);
      const firsts = await Promise.all(clients.map((c) => c.gql(SIGN_IN, { email: user.email, password: user.password })));
      expect(firsts.every((f) => f.signIn.status === "SECOND_FACTOR_REQUIRED")).toBe(true);
      const right = totp(secret);
      const checks = countCalls("importKey", isHmac("SHA-1"));
      const wrong = clients.flatMap((c, i) =>
        Array.from({ length: 4 }, (_, j) => () => c.gql(VERIFY_CODE, { code: wrongCodeFor(right, i * 4 + j), remember: false })),
      );
      const late = clients.slice(0, 5).map((c) => () => c.gql(VERIFY_CODE, { code: right, remember: false }));
      const answers = await Promise.all([...wrong, ...late].map((send) => send()));
      expect(checks() / 3).toBeLessThanOrEqual(10);
      expect(answers.filter((a) => a.verifySignInCode.status === "SIGNED_IN")).toHaveLength(0);
      expect(clients.filter((c) => c.cookies.has(SESSION))).toHaveLength(0);
    },
  );

  it("concurrent recovery-code guesses: the right code after the limit is refused and stays valid", BURST_TIMEOUT, async () => {
    const user = await createUser();
    const { recoveryCode } = await enrolAuthenticator(user);
    const clients = Array.from({ length: 20 }, freshClient);
    await Promise.all(clients.map((c) => c.gql(SIGN_IN, { email: user.email, password: user.password })));
    const wrong = clients.flatMap((c, i) =>
      Array.from({ length: 2 }, (_, j) => () => c.gql(VERIFY_RECOVERY, { code: `0000-0000-0000-0000-000${i % 10}-00${j}0` })),
    );
    const late = clients.slice(0, 3).map((c) => () => c.gql(VERIFY_RECOVERY, { code: recoveryCode }));
    const answers = await Promise.all([...wrong, ...late].map((send) => send()));
    expect(answers.filter((a) => a.verifyRecoveryCode.__typename === "RecoveryCodeIssued")).toHaveLength(0);
    const stored = await env.DB.prepare("select code_hash from mfa_recovery_codes where user_id = ?").bind(user.id).first();
    expect(stored).not.toBeNull();
    expect(answers.at(-1).verifyRecoveryCode.__typename).toBe("RateLimitedError");
  });

  it(
    "40 merges at once with wrong codes check at most 10 of the other account's codes; then even the right one waits",
    BURST_TIMEOUT,
    async () => {
      const survivor = await createUser();
      const other = await createUser({ password: "the other account's passphrase" });
      const { secret } = await enrolAuthenticator(other);
      const client = freshClient();
      await signInAs(client, survivor);
      const MERGE = `mutation ($a: String!, $p: String!, $c: String!) { mergeAccount(address: $a, password: $p, code: $c) { __typename } }`;
      const right = totp(secret);
      const checks = countCalls("importKey", isHmac("SHA-1"));
      // Each merge passes the password first, which takes a varying time, so the order in which
      // they reach the code check is anyone's: the right code goes after the burst instead.
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => client.gql(MERGE, { a: other.email, p: other.password, c: wrongCodeFor(right, i) })),
      );
      expect(checks() / 3).toBeLessThanOrEqual(10);
      expect(answers.filter((a) => a.mergeAccount.__typename === "User")).toHaveLength(0);
      const late = await client.gql(MERGE, { a: other.email, p: other.password, c: right });
      expect(late.mergeAccount.__typename).toBe("RateLimitedError");
      const status = await env.DB.prepare("select status from users where id = ?").bind(other.id).first<{ status: string }>();
      expect(status?.status).toBe("active");
    },
  );
});

describe("emailed-code bursts", () => {
  it("40 guesses at an activation code check at most 5; the right code after them does not activate", BURST_TIMEOUT, async () => {
    const email = uniqueEmail("burst");
    const client = freshClient();
    await client.gql(REGISTER, registration(email));
    const code = codeIn(await latestMailTo(email));
    const checks = countCalls("importKey", isHmac("SHA-256"));
    // The burst first, then the right code: fired in one burst it could be among the first five checked.
    const guesses = Array.from({ length: 40 }, (_, i) => wrongCodeFor(code, i));
    const answers = await Promise.all(guesses.map((c) => client.gql(ACTIVATE, { email, code: c })));
    answers.push(...(await Promise.all([code, code].map((c) => client.gql(ACTIVATE, { email, code: c })))));
    expect(checks()).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.activateAccount.__typename === "AccountActivated")).toHaveLength(0);
    const account = await env.DB.prepare("select user_id from emails where address = ?").bind(email).first();
    expect(account).toBeNull();
  });

  it("40 guesses at a reset code check at most 5; the right code after them does not reset", BURST_TIMEOUT, async () => {
    const user = await createUser();
    const client = freshClient();
    await client.gql(REQUEST_RESET, { email: user.email });
    const code = codeIn(await latestMailTo(user.email));
    const checks = countCalls("importKey", isHmac("SHA-256"));
    const reset = (c: string) => client.gql(RESET, { email: user.email, code: c, password: "a new and long passphrase" });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => reset(wrongCodeFor(code, i))));
    answers.push(await reset(code));
    expect(checks()).toBeLessThanOrEqual(5);
    expect(answers.filter((a) => a.resetPassword.__typename === "PasswordReset")).toHaveLength(0);
    vi.restoreAllMocks();
    const signIn = await freshClient().gql(SIGN_IN, { email: user.email, password: user.password });
    expect(signIn.signIn.__typename).toBe("SignInStep");
  });

  it("20 reset requests at once for one address send one code", BURST_TIMEOUT, async () => {
    const user = await createUser();
    const answers = await Promise.all(Array.from({ length: 20 }, () => freshClient().gql(REQUEST_RESET, { email: user.email })));
    expect(await settledMailTo(user.email)).toHaveLength(1);
    expect(answers.filter((a) => a.requestPasswordReset.__typename === "CodeSent")).toHaveLength(1);
  });
});
