import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliveredMailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser } from "../../test/fixtures";
import { passedChallenge, SITE_KEY, turnstileClient, turnstileEnv } from "../../test/turnstile";
import { ConfigError, getConfig } from "../env";

const REGISTER = `mutation ($email: String!, $token: String) {
  register(firstName: "Ada", lastName: "Lovelace", email: $email, password: "analytical engine 1843", acceptTerms: true, turnstileToken: $token) {
    __typename ... on CodeSent { email } ... on ValidationError { fieldErrors { field message } }
  }
}`;
const RESET = `mutation ($email: String!, $token: String) {
  requestPasswordReset(email: $email, turnstileToken: $token) {
    __typename ... on CodeSent { email } ... on ValidationError { fieldErrors { field message } }
  }
}`;
const SETTINGS = "{ turnstile { siteKey scriptUrl } }";

/** The emailed codes waiting for `address`: one exists as soon as a form was accepted, before its mail goes out. */
const codesFor = async (address: string) =>
  (await env.DB.prepare("select purpose from email_codes where address = ?").bind(address).all<{ purpose: string }>()).results;

const register = async (client: TestClient, email: string, token?: string | null) =>
  (await client.gql(REGISTER, { email, token })).register;

describe("Cloudflare Turnstile on the signed-out forms", () => {
  it("is off without a site key: the forms work as before and the SPA is told so", async () => {
    const client = new TestClient();
    expect((await client.gql(SETTINGS)).turnstile).toBeNull();
    expect((await register(client, uniqueEmail())).__typename).toBe("CodeSent");
    const shell = await client.request("/register");
    expect(shell.headers.get("content-security-policy")).not.toContain("127.0.0.1:");
  });

  it("registers only with a token siteverify accepts, and sends nothing otherwise", async () => {
    const client = turnstileClient();
    const settings = (await client.gql(SETTINGS)).turnstile;
    expect(settings).toEqual({ siteKey: SITE_KEY, scriptUrl: `${env.TURNSTILE_PEER_URL}/turnstile/v0/api.js` });
    // The widget's script and frame may load on the SPA's pages.
    const csp = (await client.request("/register")).headers.get("content-security-policy") ?? "";
    expect(csp).toContain(`script-src 'self' ${env.TURNSTILE_PEER_URL}`);
    expect(csp).toContain(`frame-src ${env.TURNSTILE_PEER_URL}`);

    const refusedEmail = uniqueEmail("robot");
    for (const token of [null, "", "loopback.made-up-token"]) {
      expect(await register(client, refusedEmail, token)).toEqual({
        __typename: "ValidationError",
        fieldErrors: [{ field: "turnstileToken", message: expect.stringMatching(/human/) }],
      });
    }
    expect(await codesFor(refusedEmail)).toEqual([]);

    const email = uniqueEmail("human");
    const token = await passedChallenge("register");
    expect(await register(client, email, token)).toEqual({ __typename: "CodeSent", email });
    expect(await codesFor(email)).toEqual([{ purpose: "register" }]);
    await deliveredMailTo(email);
    // Single use: the same token again is refused as expired or duplicate.
    const again = uniqueEmail("replay");
    expect((await register(client, again, token)).fieldErrors).toEqual([
      { field: "turnstileToken", message: "The human test expired. Complete it again, then send the form." },
    ]);
    expect(await codesFor(again)).toEqual([]);
  });

  it("checks the form's own fields first, so a refused field does not spend the challenge", async () => {
    const client = turnstileClient();
    const token = await passedChallenge("register");
    const bad = (await client.gql(REGISTER, { email: "not-an-email", token })).register;
    expect(bad.fieldErrors.map((f: { field: string }) => f.field)).toEqual(["email"]);
    expect((await register(client, uniqueEmail(), token)).__typename).toBe("CodeSent");
  });

  it("refuses a token passed for another form or another site", async () => {
    const client = turnstileClient();
    expect((await register(client, uniqueEmail(), await passedChallenge("password-reset"))).__typename).toBe("ValidationError");
    expect((await register(client, uniqueEmail(), await passedChallenge("register", "laurel-dev-site-key"))).__typename).toBe(
      "ValidationError",
    );
  });

  it("guards password reset the same way, answering alike for any address", async () => {
    const client = turnstileClient();
    const user = await createUser();
    expect((await client.gql(RESET, { email: user.email, token: null })).requestPasswordReset.fieldErrors[0].field).toBe("turnstileToken");
    expect(await codesFor(user.email)).toEqual([]);
    const known = (await client.gql(RESET, { email: user.email, token: await passedChallenge("password-reset") })).requestPasswordReset;
    const unknown = uniqueEmail("nobody");
    const stranger = (await client.gql(RESET, { email: unknown, token: await passedChallenge("password-reset") })).requestPasswordReset;
    expect(known).toEqual({ __typename: "CodeSent", email: user.email });
    expect(stranger).toEqual({ __typename: "CodeSent", email: unknown });
    expect(await codesFor(user.email)).toEqual([{ purpose: "reset-password" }]);
  });

  it("refuses a configuration with one key of the two, or a plain-http siteverify off loopback or in production", () => {
    const on = turnstileEnv();
    expect(getConfig(on).turnstile).toMatchObject({ siteKey: SITE_KEY });
    for (const broken of [
      { ...on, TURNSTILE_SECRET_KEY: "" },
      { ...on, TURNSTILE_SITE_KEY: "" },
      { ...on, TURNSTILE_SITEVERIFY_URL: "http://siteverify.example.org/" },
      { ...on, ENVIRONMENT: "production", EMAIL_TRANSPORT: "cloudflare", SSO_PROVIDERS: "" },
    ]) {
      expect(() => getConfig(broken as Env)).toThrow(ConfigError);
    }
  });
});
