import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, getConfig } from "../env";

const providers = (list: unknown) => ({ SSO_PROVIDERS: JSON.stringify(list) });
const okta = { name: "okta-eu", label: "Okta", issuer: "https://example.okta.com", clientId: "abc" };

describe("SSO configuration", () => {
  it("reads the providers of the test run, with their secrets", () => {
    const { sso } = getConfig(env);
    expect(sso.providers.map((p) => [p.name, p.clientSecret, p.multiTenant])).toEqual([
      ["google", "laurel-test-secret", false],
      ["microsoft", "laurel-test-secret", true],
    ]);
  });

  it("has no providers when SSO_PROVIDERS is missing or empty", () => {
    expect(getConfig({ ...env, SSO_PROVIDERS: undefined } as unknown as Env).sso.providers).toEqual([]);
    expect(getConfig({ ...env, SSO_PROVIDERS: " " } as unknown as Env).sso.providers).toEqual([]);
  });

  it("takes a further provider from configuration alone", () => {
    const config = getConfig({ ...env, ...providers([okta]), SSO_OKTA_EU_CLIENT_SECRET: "s" } as unknown as Env);
    expect(config.sso.providers).toEqual([{ ...okta, clientSecret: "s", multiTenant: false }]);
  });

  it.each([
    [{ SSO_PROVIDERS: "{not json" }, /SSO_PROVIDERS must be a JSON array/],
    [providers({ name: "x" }), /SSO_PROVIDERS must be a JSON array/],
    [providers([okta]), /SSO_OKTA_EU_CLIENT_SECRET/],
    [providers([{ ...okta, name: "Okta EU" }]), /name must be lower case/],
    [providers([{ ...okta, issuer: "not a url" }]), /issuer must be an https URL/],
    [providers([{ ...okta, issuer: "https://example.okta.com?x=1" }]), /issuer must be an https URL/],
    [providers([{ ...okta, clientId: "" }]), /clientId is required/],
    [providers([{ ...okta, label: "" }]), /label is required/],
    [providers([{ ...okta, multiTenant: "yes" }]), /multiTenant must be true or false/],
    [providers([okta, okta]), /used twice/],
    [
      { ...providers([{ ...okta, issuer: "http://127.0.0.1:8799/google" }]), ENVIRONMENT: "production", EMAIL_TRANSPORT: "cloudflare" },
      /https/,
    ],
  ])("refuses %o", (override, message) => {
    const broken = { ...env, SSO_OKTA_EU_CLIENT_SECRET: "s", ...override } as unknown as Env;
    if (message.source.includes("SSO_OKTA_EU_CLIENT_SECRET"))
      delete (broken as unknown as Record<string, unknown>).SSO_OKTA_EU_CLIENT_SECRET;
    expect(() => getConfig(broken)).toThrow(ConfigError);
    expect(() => getConfig(broken)).toThrow(message);
  });
});
