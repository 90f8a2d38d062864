import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ME, SIGN_IN } from "../../test/accounts";
import { deliveredMailTo, settledMailTo, TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { enrolAuthenticator, totp } from "../../test/mfa";
import { SESSION_COOKIE } from "../http/cookies";

const CHANGE = `mutation ($password: String!, $newPassword: String!, $code: String!) {
  changePassword(password: $password, newPassword: $newPassword, code: $code) {
    __typename ... on Error { message } ... on ValidationError { fieldErrors { field message } } ... on PasswordChanged { changedAt }
  }
}`;
const NEW_PASSWORD = "a brand new passphrase 42";

async function enrolledAndSignedIn() {
  const user = await createUser();
  const { secret } = await enrolAuthenticator(user);
  const client = new TestClient();
  await signInAs(client, user);
  return { user, secret, client };
}

const passwordWorks = async (email: string, password: string) =>
  (await new TestClient().gql(SIGN_IN, { email, password })).signIn.__typename === "SignInStep";

const auditCount = async (userId: string) =>
  (await env.DB.prepare("select count(*) as n from audit_log where action = 'account.password-changed' and subject_id = ?")
    .bind(userId)
    .first<{ n: number }>())!.n;

describe("changing the password while signed in", () => {
  it("needs the current password and a code; ends other sessions, keeps this browser signed in, emails the owner", async () => {
    const { user, secret, client } = await enrolledAndSignedIn();
    const other = new TestClient();
    await signInAs(other, user);
    const before = client.cookies.get(SESSION_COOKIE);

    const changed = (await client.gql(CHANGE, { password: user.password, newPassword: NEW_PASSWORD, code: totp(secret) })).changePassword;
    expect(changed.__typename).toBe("PasswordChanged");
    expect(client.cookies.get(SESSION_COOKIE)).not.toBe(before);
    expect((await client.gql(ME)).me.id).toBe(user.id);
    expect((await other.gql(ME)).me).toBeNull();
    expect(await passwordWorks(user.email, NEW_PASSWORD)).toBe(true);
    expect(await passwordWorks(user.email, user.password)).toBe(false);
    expect((await deliveredMailTo(user.email, "Your Laurel password was changed")).text).toContain(
      "every other signed-in device was signed out",
    );
    expect(await auditCount(user.id)).toBe(1);
  });

  it("refuses a wrong current password, a wrong code or a weak new password, and changes nothing", async () => {
    const { user, secret, client } = await enrolledAndSignedIn();
    const wrongPassword = (await client.gql(CHANGE, { password: "not it at all", newPassword: NEW_PASSWORD, code: totp(secret) }))
      .changePassword;
    expect(wrongPassword.fieldErrors).toEqual([{ field: "password", message: "That password is not right." }]);
    const wrongCode = (await client.gql(CHANGE, { password: user.password, newPassword: NEW_PASSWORD, code: "000000" })).changePassword;
    expect(wrongCode.__typename).toBe("InvalidCodeError");
    const weak = (await client.gql(CHANGE, { password: user.password, newPassword: "short", code: totp(secret) })).changePassword;
    expect(weak.fieldErrors[0].field).toBe("newPassword");
    const same = (await client.gql(CHANGE, { password: user.password, newPassword: user.password, code: totp(secret) })).changePassword;
    expect(same.fieldErrors).toEqual([{ field: "newPassword", message: "Choose a password other than your current one." }]);
    expect(await passwordWorks(user.email, user.password)).toBe(true);
    expect(await auditCount(user.id)).toBe(0);
    expect((await client.gql(ME)).me.id).toBe(user.id);
  });

  it("is not a way around the sign-in limits: wrong current passwords pause it like wrong codes", async () => {
    const { user, secret, client } = await enrolledAndSignedIn();
    const answers = [];
    for (let i = 0; i < 12; i++) {
      answers.push(
        (await client.gql(CHANGE, { password: `guess number ${i}`, newPassword: NEW_PASSWORD, code: totp(secret) })).changePassword
          .__typename,
      );
    }
    expect(answers).toContain("RateLimitedError");
    expect(await passwordWorks(user.email, user.password)).toBe(true);
  });

  it("lets one of two racing changes win: one new password, one audit entry, one email", async () => {
    const { user, secret } = await enrolledAndSignedIn();
    const clients = [new TestClient(), new TestClient()];
    for (const c of clients) await signInAs(c, user);
    const results = await Promise.all(
      clients.map((c, i) =>
        c.gqlResult<any>(CHANGE, { password: user.password, newPassword: `${NEW_PASSWORD} ${i}`, code: totp(secret, i) }),
      ),
    );
    // The loser either finds the password changed, or arrives after the change and is signed out.
    const kinds = results.map((r) => r.data?.changePassword?.__typename ?? r.errors?.[0]?.extensions?.code).sort();
    expect(kinds[0]).toBe("PasswordChanged");
    expect(["UNAUTHENTICATED", "ValidationError"]).toContain(kinds[1]);
    expect(await auditCount(user.id)).toBe(1);
    const winner = results.findIndex((r) => r.data?.changePassword?.__typename === "PasswordChanged");
    expect(await passwordWorks(user.email, `${NEW_PASSWORD} ${winner}`)).toBe(true);
    const notices = (await settledMailTo(user.email)).filter((m) => m.subject === "Your Laurel password was changed");
    expect(notices).toHaveLength(1);
  });

  it("tells an account without a password how to set one", async () => {
    const user = await createUser();
    await env.DB.prepare("update users set password_hash = null where id = ?").bind(user.id).run();
    const { secret } = await enrolAuthenticator(user);
    const client = new TestClient();
    await signInAs(client, user);
    const answer = (await client.gql(CHANGE, { password: "", newPassword: NEW_PASSWORD, code: totp(secret) })).changePassword;
    expect(answer.fieldErrors[0].message).toMatch(/Forgot password/);
  });
});
