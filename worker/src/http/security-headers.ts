import { createMiddleware } from "hono/factory";

/**
 * Headers every response carries. The SPA's files (/assets/*, the icon) are answered by
 * Workers Static Assets alone: `web/public/_headers` gives them the same ones (a test keeps
 * the two in step); its pages' HTML comes from this Worker (`spa-pages.ts`).
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
 * `connect-src 'self'` gives no script anything (none can run) but lets auditing tools that
 * read from inside the page, such as Lighthouse fetching robots.txt, see the site's own files.
 */
export const PAGE_CSP =
  "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The SPA's pages: scripts, styles and fonts from its own files only (Vite emits no inline
 * script, Solid sets styles through the CSSOM); data: images are the authenticator QR code.
 * `web/public/_headers` carries the same policy for the files Static Assets answers alone.
 */
export const SPA_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * The shell's policy with Cloudflare Turnstile's widget allowed, when it is on: its script and
 * the challenge frame come from the script's origin (the loopback peer in development).
 */
export function spaCspWithTurnstile(scriptUrl: string): string {
  const origin = new URL(scriptUrl).origin;
  return SPA_CSP.replace("script-src 'self'", `script-src 'self' ${origin}`)
    .replace("connect-src 'self'", `connect-src 'self' ${origin}`)
    .replace("default-src 'self';", `default-src 'self'; frame-src ${origin};`);
}

/** The dev mailbox shows each email's HTML, which styles itself inline, in a sandboxed frame. */
export const MAILBOX_CSP = SPA_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

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
