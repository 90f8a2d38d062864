import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, getConfig } from "./env";

describe("configuration", () => {
  it("reads the test configuration", () => {
    expect(getConfig(env)).toMatchObject({ environment: "test", appOrigin: "http://127.0.0.1:8787", email: { transport: "outbox" } });
  });

  it.each([
    [{ APP_SECRET: "c2hvcnQ=" }, /APP_SECRET/],
    [{ MFA_ENCRYPTION_KEY: "" }, /MFA_ENCRYPTION_KEY/],
    [{ ENVIRONMENT: "staging" }, /ENVIRONMENT/],
    [{ APP_URL: "not a url" }, /APP_URL/],
    [{ EMAIL_TRANSPORT: "http", EMAIL_API_KEY: "" }, /EMAIL_API_KEY/],
    [{ ENVIRONMENT: "production", EMAIL_TRANSPORT: "outbox" }, /development only/],
  ])("refuses %o", (override, message) => {
    expect(() => getConfig({ ...env, ...override } as Env)).toThrow(ConfigError);
    expect(() => getConfig({ ...env, ...override } as Env)).toThrow(message);
  });
});

describe("a misconfigured deployment", () => {
  it("answers 500 with a generic message and logs the cause once", async () => {
    const { default: app } = await import("./index");
    const { createExecutionContext } = await import("cloudflare:test");
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const response = await app.fetch(
        new Request("http://127.0.0.1:8787/graphql", {
          method: "POST",
          headers: { "x-laurel-csrf": "1", "content-type": "application/json" },
          body: '{"query":"{ me { id } }"}',
        }),
        { ...env, APP_SECRET: "" },
        createExecutionContext(),
      );
      expect(response.status).toBe(500);
      expect(await response.text()).not.toMatch(/APP_SECRET/);
      expect(logged).toHaveLength(1);
      expect(String((logged[0] as unknown[])[1])).toMatch(/APP_SECRET/);
    } finally {
      console.error = original;
    }
  });
});
