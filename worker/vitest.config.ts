import { availableParallelism } from "node:os";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { TEST_API_RATE_LIMIT } from "./test/rate-limits";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "../migrations"));
  return {
    plugins: [
      // A function, so the bindings can name the OpenID provider that globalSetup started.
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "../wrangler.toml" },
        miniflare: {
          // The API's limit as wrangler.toml has it, but small, so a test reaches it in a few requests.
          ratelimits: { API_RATE_LIMIT: { simple: { limit: TEST_API_RATE_LIMIT, period: 60 } } },
          // Tests run as the "test" environment with throwaway keys; see test/env.ts.
          bindings: {
            TEST_MIGRATIONS: migrations,
            // The GraphQL fuzz test's seed: FUZZ_SEED=<n> replays a run it printed.
            FUZZ_SEED: process.env.FUZZ_SEED ?? "",
            // And how many calls of each field per identity (3 unless told): a longer hunt than CI's.
            FUZZ_CASES: process.env.FUZZ_CASES ?? "",
            ENVIRONMENT: "test",
            APP_URL: "http://127.0.0.1:8787",
            EMAIL_TRANSPORT: "outbox",
            EMAIL_FROM: "Laurel <no-reply@laurel.test>",
            APP_SECRET: "dGVzdC1hcHAtc2VjcmV0LWF0LWxlYXN0LTMyLWJ5dGVzLWxvbmc=",
            MFA_ENCRYPTION_KEY: "dGVzdC1tZmEta2V5LWV4YWN0bHktMzItYnl0ZXMhISE=",
            EMAIL_API_KEY: "",
            SSO_PROVIDERS: JSON.stringify([
              { name: "google", label: "Google", issuer: `${inject("oidcProviderUrl")}/google`, clientId: "laurel-test" },
              {
                name: "microsoft",
                label: "Microsoft",
                issuer: `${inject("oidcProviderUrl")}/microsoft`,
                clientId: "laurel-test",
                multiTenant: true,
              },
            ]),
            // Read only by test/turnstile.ts, which turns Turnstile on with it for its own client.
            TURNSTILE_PEER_URL: inject("turnstilePeerUrl"),
            SSO_GOOGLE_CLIENT_SECRET: "laurel-test-secret",
            SSO_MICROSOFT_CLIENT_SECRET: "laurel-test-secret",
          },
        },
      })),
    ],
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      // Generous: races and bursts run hundreds of requests, and a busy 2-core machine is slow.
      testTimeout: 30_000,
      // Each test file starts its own workerd, which waits on sockets as much as it computes:
      // two at once finish the suite in ~60% of the time even on 2 cores (vitest's default
      // there is one).
      maxWorkers: Math.max(2, availableParallelism() - 1),
      setupFiles: ["./test/apply-migrations.ts"],
      globalSetup: ["./test/global-setup.ts"],
    },
  };
});
