import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../src/index";
import { TestClient } from "./client";

/** The loopback Turnstile's test site (tests/turnstile-peer). */
export const SITE_KEY = "laurel-test-site-key";

/** The Worker's bindings with Turnstile on, against the loopback siteverify peer. */
export const turnstileEnv = () =>
  ({
    ...env,
    TURNSTILE_SITE_KEY: SITE_KEY,
    TURNSTILE_SECRET_KEY: "laurel-test-secret-key",
    TURNSTILE_SITEVERIFY_URL: `${env.TURNSTILE_PEER_URL}/turnstile/v0/siteverify`,
    TURNSTILE_SCRIPT_URL: `${env.TURNSTILE_PEER_URL}/turnstile/v0/api.js`,
  }) as Env;

/** A client of the same Worker code with Turnstile on. */
export function turnstileClient(): TestClient {
  const bindings = turnstileEnv();
  return new TestClient(undefined, async (request) => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(request, bindings, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  });
}

/** A token as the widget gets one when the visitor passes (the peer's test hook), for `action`. */
export async function passedChallenge(action: string, sitekey = SITE_KEY): Promise<string> {
  const reply = await fetch(`${env.TURNSTILE_PEER_URL}/test/token`, { method: "POST", body: JSON.stringify({ sitekey, action }) });
  return ((await reply.json()) as { token: string }).token;
}
