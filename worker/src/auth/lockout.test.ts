import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ACTIVATE, REGISTER, REQUEST_RESET, RESET, registration, SIGN_IN, STRONG_PASSWORD } from "../../test/accounts";
import { codeIn, latestMailTo, settledMailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser } from "../../test/fixtures";
import { enrolAuthenticator, signInWithCode, totp, VERIFY_CODE } from "../../test/mfa";
import { ageAttempts } from "../../test/throttling";
import { CODE_SENDS_PER_IP, codeSendKeys, passwordKeys } from "../throttling/policies";

// Strangers who know an address must not be able to keep its owner out (ADR 012): they
// spend the keys of their own networks, and the address's ceiling leaves the owner a
// remembered device and an emailed sign-in link.

const DEVICE = "__Host-laurel_device";
const SIGN_IN_WITH_LINK = `mutation ($email: String!, $password: String!, $unlock: String) {
  signIn(email: $email, password: $password, unlockToken: $unlock) {
    __typename ... on SignInStep { status } ... on Error { message } ... on RateLimitedError { retryAfterSeconds }
  }
}`;
const REQUEST_LINK = `mutation ($email: String!) { requestSignInLink(email: $email) { __typename ... on CodeSent { email } ... on Error { message } } }`;

let network = Math.floor(Math.random() * 200);
const onItsOwnNetwork = () => {
  network += 1;
  return new TestClient(`198.51.${100 + (network % 100)}.${(network % 250) + 1}`);
};

const signIn = async (client: TestClient, email: string, password: string, unlock?: string) =>
  (await client.gql(SIGN_IN_WITH_LINK, { email, password, unlock })).signIn;

/** Brings the address's ceiling to one failure short, as 99 guesses from elsewhere would. */
async function nearCeiling(email: string) {
  const now = Date.now();
  await env.DB.prepare(
    `insert into attempt_windows (key, attempts, window_started_at, paused_until, holder, expires_at) values (?1, 99, ?2, null, null, ?3)
     on conflict (key) do update set attempts = 99, window_started_at = ?2, paused_until = null, expires_at = ?3`,
  )
    .bind(passwordKeys(email, null)[2]!.key, now - 10 * 60_000, now + 50 * 60_000)
    .run();
}

const linkIn = (text: string) => /\/sign-in\?email=[^&\s]+&unlock=([A-Za-z0-9_-]{43})/.exec(text)?.[1];

describe("an attacker cannot lock the owner out of sign-in", () => {
  it("guesses from another network pause only that network: the owner signs in from their own", async () => {
    const user = await createUser();
    const attacker = onItsOwnNetwork();
    for (let i = 0; i < 10; i++) await signIn(attacker, user.email, `guess ${i}`);
    expect((await signIn(attacker, user.email, user.password)).__typename).toBe("RateLimitedError");
    expect((await signIn(onItsOwnNetwork(), user.email, user.password)).__typename).toBe("SignInStep");
  });

  it("an address's ceiling reached from many networks still lets in the owner's remembered device", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const laptop = onItsOwnNetwork();
    expect((await signInWithCode(laptop, user, secret, { remember: true })).status).toBe("SIGNED_IN");
    await nearCeiling(user.email);
    expect((await signIn(onItsOwnNetwork(), user.email, "the last straw")).__typename).toBe("RateLimitedError");
    // Anyone without the device, even on a fresh network and with the right password, waits.
    const refused = await signIn(onItsOwnNetwork(), user.email, user.password);
    expect(refused).toMatchObject({ __typename: "RateLimitedError", message: expect.stringMatching(/remembered devices/) });
    // The remembered device (its cookie alone, on a fresh network) gets its password through.
    const device = onItsOwnNetwork();
    device.cookies.set(DEVICE, laptop.cookies.get(DEVICE)!);
    expect(await signIn(device, user.email, user.password)).toMatchObject({ __typename: "SignInStep", status: "SIGNED_IN" });
    // Wrong passwords through the device count on the device's own key.
    const stolen = onItsOwnNetwork();
    stolen.cookies.set(DEVICE, device.cookies.get(DEVICE)!);
    expect((await signIn(stolen, user.email, "not it")).__typename).toBe("InvalidCredentialsError");
  });

  it("the ceiling emails the owner a single-use sign-in link that lets the right password through once", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    await nearCeiling(user.email);
    await signIn(onItsOwnNetwork(), user.email, "the last straw");
    const mail = await latestMailTo(user.email);
    expect(mail.subject).toBe("Sign-in to your Laurel account is paused");
    const token = linkIn(mail.text)!;
    expect(token).toBeTruthy();
    const stored = await env.DB.prepare("select token_hash from sign_in_links where user_id = ?")
      .bind(user.id)
      .first<{ token_hash: string }>();
    expect(stored?.token_hash).not.toBe(token);

    // A wrong password with the link is refused like any other and spends nothing else.
    const owner = onItsOwnNetwork();
    expect((await signIn(owner, user.email, "a wrong one", token)).__typename).toBe("InvalidCredentialsError");
    expect(await signIn(owner, user.email, user.password, token)).toMatchObject({
      __typename: "SignInStep",
      status: "SECOND_FACTOR_REQUIRED",
    });
    expect((await owner.gql(VERIFY_CODE, { code: totp(secret), remember: false })).verifySignInCode.status).toBe("SIGNED_IN");
    // Once: the same link again is refused.
    expect((await signIn(onItsOwnNetwork(), user.email, user.password, token)).__typename).toBe("RateLimitedError");
  });

  it("sends a fresh link on request, and answers the same for an address without an account", async () => {
    const user = await createUser();
    const nobody = uniqueEmail("nobody");
    const client = onItsOwnNetwork();
    const a = await client.gql(REQUEST_LINK, { email: user.email });
    const b = await onItsOwnNetwork().gql(REQUEST_LINK, { email: nobody });
    expect(a.requestSignInLink).toEqual({ __typename: "CodeSent", email: user.email });
    expect(b.requestSignInLink).toEqual({ __typename: "CodeSent", email: nobody });
    expect((await latestMailTo(nobody)).text).toMatch(/no account uses it/);
    const token = linkIn((await latestMailTo(user.email)).text)!;
    await nearCeiling(user.email);
    await signIn(onItsOwnNetwork(), user.email, "the last straw");
    // The link belongs to its account: with another paused address it is no way in.
    const other = await createUser();
    await nearCeiling(other.email);
    await signIn(onItsOwnNetwork(), other.email, "the last straw");
    expect((await signIn(onItsOwnNetwork(), other.email, other.password, token)).__typename).toBe("RateLimitedError");
    expect((await signIn(onItsOwnNetwork(), user.email, user.password, token)).__typename).toBe("SignInStep");
    // Asking again at once waits a minute, like codes.
    expect((await client.gql(REQUEST_LINK, { email: user.email })).requestSignInLink.__typename).toBe("RateLimitedError");
  });

  it("an expired link is no way in", async () => {
    const user = await createUser();
    await onItsOwnNetwork().gql(REQUEST_LINK, { email: user.email });
    const token = linkIn((await latestMailTo(user.email)).text)!;
    await env.DB.prepare("update sign_in_links set expires_at = ? where user_id = ?")
      .bind(Date.now() - 1, user.id)
      .run();
    await nearCeiling(user.email);
    await signIn(onItsOwnNetwork(), user.email, "the last straw");
    expect((await signIn(onItsOwnNetwork(), user.email, user.password, token)).__typename).toBe("RateLimitedError");
  });

  it("pauses an unknown address exactly like a known one, ceiling included", async () => {
    const known = await createUser();
    const unknown = uniqueEmail("ghost");
    await nearCeiling(known.email);
    await nearCeiling(unknown);
    const a = await signIn(onItsOwnNetwork(), known.email, "the last straw");
    const b = await signIn(onItsOwnNetwork(), unknown, "the last straw");
    expect(a).toEqual({ ...b, retryAfterSeconds: a.retryAfterSeconds });
    expect(Math.abs(a.retryAfterSeconds - b.retryAfterSeconds)).toBeLessThanOrEqual(2);
  });
});

describe("an attacker cannot keep the owner from a reset code", () => {
  it("requests from elsewhere cost the owner at most a five-minute wait, never an hour", async () => {
    const user = await createUser();
    const sends = codeSendKeys("reset-password", user.email, null);
    for (let i = 0; i < 5; i++) {
      expect((await onItsOwnNetwork().gql(REQUEST_RESET, { email: user.email })).requestPasswordReset.__typename).toBe("CodeSent");
      await ageAttempts(sends.slice(0, 2), 61_000);
    }
    const owner = onItsOwnNetwork();
    const waiting = await owner.gql(REQUEST_RESET, { email: user.email });
    expect(waiting.requestPasswordReset.__typename).toBe("RateLimitedError");
    expect(waiting.requestPasswordReset.message).toMatch(/You can ask for another in [1-5] minutes?\./);
    await ageAttempts(sends.slice(0, 2), 5 * 60_000);
    expect((await owner.gql(REQUEST_RESET, { email: user.email })).requestPasswordReset.__typename).toBe("CodeSent");
    const code = codeIn(await latestMailTo(user.email));
    const reset = await owner.gql(RESET, { email: user.email, code, password: "a new and long passphrase" });
    expect(reset.resetPassword.__typename).toBe("PasswordReset");
  });

  it("one network asking for many addresses' codes is paused, and no one else is", async () => {
    const spammer = onItsOwnNetwork();
    const answers = [];
    const { limit } = CODE_SENDS_PER_IP;
    for (let i = 0; i <= limit; i++)
      answers.push((await spammer.gql(REQUEST_RESET, { email: uniqueEmail(`spam${i}`) })).requestPasswordReset);
    expect(answers.slice(0, limit).every((a) => a.__typename === "CodeSent")).toBe(true);
    expect(answers[limit]).toMatchObject({ __typename: "RateLimitedError", message: expect.stringMatching(/from your network/) });
    const user = await createUser();
    expect((await onItsOwnNetwork().gql(REQUEST_RESET, { email: user.email })).requestPasswordReset.__typename).toBe("CodeSent");
  });
});

describe("a password reset lifts what guessing paused", () => {
  it("code entry paused by someone who knew the old password opens again for the owner", async () => {
    const user = await createUser();
    const { secret } = await enrolAuthenticator(user);
    const wrong = String((Number(totp(secret)) + 500_000) % 1_000_000).padStart(6, "0");
    for (let round = 0; round < 3; round++) {
      const attacker = onItsOwnNetwork();
      await attacker.gql(SIGN_IN, { email: user.email, password: user.password });
      for (let i = 0; i < 4; i++) await attacker.gql(VERIFY_CODE, { code: wrong, remember: false });
    }
    const owner = onItsOwnNetwork();
    await owner.gql(REQUEST_RESET, { email: user.email });
    const code = codeIn(await latestMailTo(user.email));
    const newPassword = "the owner's brand new passphrase";
    await owner.gql(RESET, { email: user.email, code, password: newPassword });
    expect((await signInWithCode(owner, { ...user, password: newPassword }, secret)).status).toBe("SIGNED_IN");
  });
});

describe("signing in before activating", () => {
  it("tells whoever has the registration's password that the account waits for its code", async () => {
    const email = uniqueEmail("waiting");
    const client = onItsOwnNetwork();
    await client.gql(REGISTER, registration(email));
    const right = await signIn(client, email, STRONG_PASSWORD);
    expect(right).toEqual({
      __typename: "ActivationPendingError",
      message: "This account waits for the code we emailed when you registered. Enter it to activate the account, or ask for a new code.",
    });
    // Anyone else learns nothing: the same answer as for an address nobody registered.
    const wrong = await signIn(onItsOwnNetwork(), email, "some other password");
    const nobody = await signIn(onItsOwnNetwork(), uniqueEmail("nobody"), "some other password");
    expect(wrong).toEqual(nobody);
    expect(wrong.__typename).toBe("InvalidCredentialsError");
    const code = codeIn(await latestMailTo(email));
    expect((await client.gql(ACTIVATE, { email, code })).activateAccount.__typename).toBe("AccountActivated");
    expect((await signIn(client, email, STRONG_PASSWORD)).__typename).toBe("SignInStep");
  });

  it("says the same when an existing account waits for a reconnecting registration's code", async () => {
    const user = await createUser();
    const client = onItsOwnNetwork();
    await client.gql(REGISTER, registration(user.email, { password: "a brand new passphrase" }));
    expect((await signIn(client, user.email, "a brand new passphrase")).__typename).toBe("ActivationPendingError");
    // The account's own password still signs in until the code comes back.
    expect((await signIn(client, user.email, user.password)).__typename).toBe("SignInStep");
    expect((await settledMailTo(user.email)).map((m) => m.subject)).toEqual(["Reconnect to your Laurel account"]);
  });
});
