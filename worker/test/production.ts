import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index";
import { TestClient } from "./client";

/**
 * A client of the same Worker code running with ENVIRONMENT=production bindings (and the
 * production mail transport, which the test never reaches; no SSO providers, whose loopback
 * issuers production would refuse).
 */
export function productionClient(): TestClient {
  const production = { ...env, ENVIRONMENT: "production", EMAIL_TRANSPORT: "cloudflare", SSO_PROVIDERS: "" } as Env;
  return new TestClient(undefined, async (request) => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(request, production, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  });
}
