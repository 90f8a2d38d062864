import { createMiddleware } from "hono/factory";

/**
 * Headers every response carries. The SPA's static files are answered by Workers Static
 * Assets, not by this Worker: `web/public/_headers` gives them the same ones (a test keeps
 * the two in step) and the SPA's own Content-Security-Policy.
 */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "x-content-type-options": "nosniff",
  // Nothing of Laurel's is meant to be framed: the embeddable badge is an <img> in a link.
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
};

/**
 * The public badge and collection pages: server-rendered, no script at all, one inline
 * <style> (its CSS is part of the page so a verification page is a single request).
 */
export const PAGE_CSP =
  "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** JSON, redirects and errors: nothing to run, load or frame. */
export const DOCUMENT_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Adds the security headers to every Worker response; a route's own choice (an image's
 * sandbox policy, a redirect's `no-referrer`, a public document's cross-origin CORP) stays.
 */
export function securityHeaders() {
  return createMiddleware(async (c, next) => {
    await next();
    c.res = new Response(c.res.body, c.res);
    const headers = c.res.headers;
    for (const [name, value] of Object.entries(COMMON_HEADERS)) if (!headers.has(name)) headers.set(name, value);
    if (!headers.has("content-security-policy")) {
      headers.set("content-security-policy", (headers.get("content-type") ?? "").startsWith("text/html") ? PAGE_CSP : DOCUMENT_CSP);
    }
    if (!headers.has("cross-origin-resource-policy")) headers.set("cross-origin-resource-policy", "same-origin");
    if (new URL(c.req.url).protocol === "https:") headers.set("strict-transport-security", "max-age=31536000");
  });
}
