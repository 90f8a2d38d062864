import { createMiddleware } from "hono/factory";
import { getConfig } from "../env";

export const CSRF_HEADER = "x-laurel-csrf";

/**
 * State-changing requests must carry a custom header (which a cross-site form or
 * image cannot send without a CORS preflight we never grant) and, when the browser
 * says where it comes from, come from our own origin.
 */
export function csrfProtection() {
  return createMiddleware<{ Bindings: Env }>(async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && c.req.method !== "OPTIONS") {
      const origin = c.req.header("origin");
      if (!c.req.header(CSRF_HEADER)) {
        return c.json({ errors: [{ message: `Missing ${CSRF_HEADER} header.` }] }, 403);
      }
      if (origin && origin !== getConfig(c.env).appOrigin && origin !== new URL(c.req.url).origin) {
        return c.json({ errors: [{ message: "Cross-origin request refused." }] }, 403);
      }
    }
    await next();
  });
}
