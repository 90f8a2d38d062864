import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { CSRF_HEADER } from "./csrf";
import { isOwnOrigin } from "./origin";

/** Re-wraps the response: one from the edge cache or another handler may have immutable headers. */
function editHeaders(c: Context, edit: (headers: Headers) => void) {
  c.res = new Response(c.res.body, c.res);
  edit(c.res.headers);
}

/**
 * The API that signs in with cookies (GraphQL, the dev API): only the SPA's own origin may
 * read its answers, with credentials. Any other origin gets no Access-Control-Allow-Origin,
 * so a page elsewhere (even on the same site, which SameSite cookies do not tell apart) can
 * neither read a signed-in user's data nor pass a preflight for the CSRF header.
 * Bearer-token clients, once they exist, get their own rule: any origin, never credentials.
 */
export function credentialedCors() {
  return createMiddleware<{ Bindings: Env }>(async (c, next) => {
    const origin = c.req.header("origin");
    const own = origin !== undefined && isOwnOrigin(c, origin);
    if (c.req.method === "OPTIONS") {
      if (!own) return c.json({ errors: [{ message: "Cross-origin request refused." }] }, 403, { vary: "Origin" });
      return c.body(null, 204, {
        "access-control-allow-origin": origin,
        "access-control-allow-credentials": "true",
        "access-control-allow-methods": "GET, POST",
        "access-control-allow-headers": `content-type, ${CSRF_HEADER}`,
        "access-control-max-age": "600",
        vary: "Origin",
      });
    }
    await next();
    editHeaders(c, (headers) => {
      headers.append("vary", "Origin");
      if (own) {
        headers.set("access-control-allow-origin", origin);
        headers.set("access-control-allow-credentials", "true");
      } else {
        headers.delete("access-control-allow-origin");
        headers.delete("access-control-allow-credentials");
      }
    });
  });
}

/**
 * Public verification documents and the verifier: anyone may read them from any page (that
 * is what verifiers need), and never with credentials, which these routes do not read anyway.
 */
export function publicCors() {
  return createMiddleware<{ Bindings: Env }>(async (c, next) => {
    if (c.req.method === "OPTIONS") {
      return c.body(null, 204, {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, HEAD, POST",
        "access-control-allow-headers": "content-type, accept, if-none-match",
        "access-control-max-age": "86400",
        "cross-origin-resource-policy": "cross-origin",
      });
    }
    await next();
    editHeaders(c, (headers) => {
      headers.set("access-control-allow-origin", "*");
      headers.delete("access-control-allow-credentials");
      headers.set("access-control-expose-headers", "ETag, Content-Disposition");
      // Badge images are embedded on other sites (the embed snippet, LinkedIn, portfolios).
      headers.set("cross-origin-resource-policy", "cross-origin");
    });
  });
}
