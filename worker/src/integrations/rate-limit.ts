import { createMiddleware } from "hono/factory";
import { bearerTokenOf } from "../http/bearer";
import { sha256Hex } from "../lib/crypto";

/** What the API_RATE_LIMIT binding allows (wrangler.toml), for the answer's Retry-After. */
export const API_RATE_LIMIT = { requests: 600, periodSeconds: 60 };

/**
 * Bearer requests are counted per token and per client address by Cloudflare's rate limiting
 * binding, before the token is looked up, so a flood (of real or made-up tokens) never reaches
 * D1. Browser sessions are not counted here: their sign-in and code checks have their own guard.
 */
export function apiRateLimit() {
  return createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const token = bearerTokenOf(c.req.header("authorization"));
    if (token === null) return next();
    const ip = c.req.header("cf-connecting-ip") ?? "unknown";
    // The key names the token by a hash: a limiter key must not carry the secret itself.
    const [byToken, byIp] = await Promise.all([
      c.env.API_RATE_LIMIT.limit({ key: `token:${(await sha256Hex(token)).slice(0, 32)}` }),
      c.env.API_RATE_LIMIT.limit({ key: `ip:${ip}` }),
    ]);
    if (!byToken.success || !byIp.success) {
      return c.json(
        {
          errors: [
            {
              message: "Too many requests from this token or address. Try again in a minute.",
              extensions: { code: "RATE_LIMITED", retryAfterSeconds: API_RATE_LIMIT.periodSeconds },
            },
          ],
        },
        429,
        { "Retry-After": String(API_RATE_LIMIT.periodSeconds) },
      );
    }
    await next();
  });
}
