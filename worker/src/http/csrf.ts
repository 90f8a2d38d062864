import { createMiddleware } from "hono/factory";
import { bearerTokenOf } from "./bearer";
import { isOwnOrigin } from "./origin";

export const CSRF_HEADER = "x-laurel-csrf";

/**
 * State-changing requests must carry a custom header (which a cross-site form or
 * image cannot send without a CORS preflight we never grant) and, when the browser
 * says where it comes from, come from our own origin.
 *
 * `reads: true` asks the same of GET: GraphQL queries over GET read the signed-in user's
 * data, and a GET without the header is a "simple" request that any page can make with the
 * visitor's cookies (SameSite=Lax lets same-site pages do it), so it must not run at all.
 */
export function csrfProtection(options: { reads?: boolean } = {}) {
  return createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const read = c.req.method === "GET" || c.req.method === "HEAD";
    // A bearer request authenticates with its token alone (its cookies are ignored), and no
    // page of another site can add an Authorization header without a preflight we refuse.
    const bearer = bearerTokenOf(c.req.header("authorization")) !== null;
    if (c.req.method !== "OPTIONS" && !bearer && (!read || options.reads)) {
      const origin = c.req.header("origin");
      if (!c.req.header(CSRF_HEADER)) {
        return c.json({ errors: [{ message: `Missing ${CSRF_HEADER} header.`, extensions: { code: "CSRF_HEADER_MISSING" } }] }, 403);
      }
      if (origin && !isOwnOrigin(c, origin)) {
        return c.json({ errors: [{ message: "Cross-origin request refused.", extensions: { code: "CROSS_ORIGIN_REFUSED" } }] }, 403);
      }
    }
    await next();
  });
}
