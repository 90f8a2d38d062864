import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ME, REQUEST_RESET, RESET, SIGN_IN } from "../../test/accounts";
import { codeIn, latestMailTo, settledMailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { ageAttempts } from "../../test/throttling";
import { codeSendKeys } from "../throttling/policies";

const NEW_PASSWORD = "a fresh and long passphrase";

describe("forgot password", () => {
  it("answers the same for unknown and known emails; only the email differs", async () => {
    const user = await createUser();
    const unknown = uniqueEmail();
    const a = await new TestClient().gql(REQUEST_RESET, { email: user.email });
    const b = await new TestClient().gql(REQUEST_RESET, { email: unknown });
    expect(a.requestPasswordReset).toEqual({ __typename: "CodeSent", email: user.email });
    expect(b.requestPasswordReset).toEqual({ __typename: "CodeSent", email: unknown });
    expect((await latestMailTo(user.email)).text).toMatch(/Your code: \d{6}/);
    expect((await latestMailTo(unknown)).text).toMatch(/no account uses it/);
  });

  it("resets with the emailed code and ends every session", async () => {
    const user = await createUser();
    const laptop = new TestClient();
    const phone = new TestClient();
    await signInAs(laptop, user);
    await signInAs(phone, user);
    expect((await phone.gql(ME)).me.id).toBe(user.id);

    const visitor = new TestClient();
    await visitor.gql(REQUEST_RESET, { email: user.email });
    const mail = await latestMailTo(user.email);
    expect(mail.text).toContain(`/reset-password?email=${encodeURIComponent(user.email)}&code=${codeIn(mail)}`);
    const { resetPassword } = await visitor.gql(RESET, { email: user.email, code: codeIn(mail), password: NEW_PASSWORD });
    expect(resetPassword.__typename).toBe("PasswordReset");

    expect((await laptop.gql(ME)).me).toBeNull();
    expect((await phone.gql(ME)).me).toBeNull();
    expect((await visitor.gql(SIGN_IN, { email: user.email, password: user.password })).signIn.__typename).toBe("InvalidCredentialsError");
    expect((await visitor.gql(SIGN_IN, { email: user.email, password: NEW_PASSWORD })).signIn.__typename).not.toMatch(/Error$/);
    expect((await settledMailTo(user.email)).map((m) => m.subject)).toContain("Your Laurel password was changed");
  });

  it("keeps the code when the new password is refused", async () => {
    const user = await createUser();
    const client = new TestClient();
    await client.gql(REQUEST_RESET, { email: user.email });
    const code = codeIn(await latestMailTo(user.email));
    const weak = await client.gql(RESET, { email: user.email, code, password: "password1" });
    expect(weak.resetPassword.__typename).toBe("ValidationError");
    expect(weak.resetPassword.fieldErrors[0].field).toBe("password");
    expect((await client.gql(RESET, { email: user.email, code, password: NEW_PASSWORD })).resetPassword.__typename).toBe("PasswordReset");
  });

  it("refuses a wrong, reused or expired code", async () => {
    const user = await createUser();
    const client = new TestClient();
    await client.gql(REQUEST_RESET, { email: user.email });
    const code = codeIn(await latestMailTo(user.email));
    const other = code === "000000" ? "000001" : "000000";
    expect((await client.gql(RESET, { email: user.email, code: other, password: NEW_PASSWORD })).resetPassword.__typename).toBe(
      "InvalidCodeError",
    );
    expect((await client.gql(RESET, { email: user.email, code, password: NEW_PASSWORD })).resetPassword.__typename).toBe("PasswordReset");
    expect((await client.gql(RESET, { email: user.email, code, password: "yet another passphrase" })).resetPassword.__typename).toBe(
      "InvalidCodeError",
    );

    await ageAttempts(codeSendKeys("reset-password", user.email, client.ip), 61_000);
    await client.gql(REQUEST_RESET, { email: user.email });
    const late = codeIn(await latestMailTo(user.email));
    await env.DB.prepare("update email_codes set expires_at = ? where address = ?")
      .bind(Date.now() - 1, user.email)
      .run();
    const expired = await client.gql(RESET, { email: user.email, code: late, password: NEW_PASSWORD });
    expect(expired.resetPassword.message).toMatch(/expired/);
  });

  it("gives an unknown email's code no power", async () => {
    const email = uniqueEmail();
    const client = new TestClient();
    await client.gql(REQUEST_RESET, { email });
    const row = await env.DB.prepare("select payload from email_codes where address = ?").bind(email).first<{ payload: string }>();
    expect(JSON.parse(row?.payload ?? "{}")).toEqual({ userId: null });
  });

  it("clears a sign-in lock once the password is reset", async () => {
    const user = await createUser();
    const client = new TestClient();
    for (let i = 0; i < 10; i++) await client.gql(SIGN_IN, { email: user.email, password: "wrong wrong wrong" });
    await client.gql(REQUEST_RESET, { email: user.email });
    const code = codeIn((await settledMailTo(user.email)).filter((m) => m.subject === "Reset your Laurel password").at(-1)!);
    await client.gql(RESET, { email: user.email, code, password: NEW_PASSWORD });
    expect((await client.gql(SIGN_IN, { email: user.email, password: NEW_PASSWORD })).signIn.__typename).not.toMatch(/Error$/);
  });
});
