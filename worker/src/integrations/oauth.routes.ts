import { Hono } from "hono";
import { createAppContext } from "../context";
import { API_SCOPES } from "../graphql/api-scopes";
import { grantClientCredentials, type TokenError } from "./oauth-tokens.service";

/** The token endpoint, `POST /oauth/token` (RFC 6749 §3.2, client credentials only). */
export const oauthRoutes = new Hono<{ Bindings: Env }>();

// Token answers are secrets, and so are their errors' causes: never cached (RFC 6749 §5.1).
const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

function tokenError(error: TokenError): Response {
  const headers: Record<string, string> = { ...NO_STORE, "content-type": "application/json" };
  if (error.status === 401) headers["WWW-Authenticate"] = 'Basic realm="laurel", charset="UTF-8"';
  if (error.retryAfterSeconds !== undefined) headers["Retry-After"] = String(error.retryAfterSeconds);
  return new Response(JSON.stringify({ error: error.error, error_description: error.description }), { status: error.status, headers });
}

const invalidRequest = (description: string) => tokenError({ status: 400, error: "invalid_request", description });

/**
 * client_secret_basic (RFC 6749 §2.3.1): both parts are form-encoded before the Base64, so a
 * conforming client's `:` or `%` in an id or secret survives. Null when the header is not Basic;
 * "malformed" when it is but cannot be read.
 */
function basicCredentials(header: string | undefined): { clientId: string; clientSecret: string } | null | "malformed" {
  const match = header?.match(/^Basic\s+([A-Za-z0-9+/=]+)\s*$/i);
  if (!header || !/^Basic\b/i.test(header)) return null;
  if (!match) return "malformed";
  try {
    const decoded = atob(match[1]!);
    const colon = decoded.indexOf(":");
    if (colon < 0) return "malformed";
    const part = (s: string) => decodeURIComponent(s.replaceAll("+", " "));
    return { clientId: part(decoded.slice(0, colon)), clientSecret: part(decoded.slice(colon + 1)) };
  } catch {
    return "malformed";
  }
}

oauthRoutes.post("/token", async (c) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\b/i.test(type))
    return invalidRequest("Send the request as application/x-www-form-urlencoded (RFC 6749 §3.2).");
  const form = new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer()));
  for (const name of new Set(form.keys()))
    if (form.getAll(name).length > 1) return invalidRequest(`The parameter ${name} is given more than once.`);
  const grantType = form.get("grant_type");
  if (!grantType) return invalidRequest("grant_type is missing: use client_credentials.");
  if (grantType !== "client_credentials")
    return tokenError({ status: 400, error: "unsupported_grant_type", description: "Only the client_credentials grant is supported." });

  const basic = basicCredentials(c.req.header("authorization"));
  if (basic === "malformed")
    return tokenError({ status: 401, error: "invalid_client", description: "The Basic credentials cannot be read." });
  const posted = form.has("client_secret");
  if (basic && posted) return invalidRequest("Authenticate the client one way: the Authorization header or client_secret, not both.");
  if (basic && form.has("client_id") && form.get("client_id") !== basic.clientId)
    return invalidRequest("client_id in the body is not the one in the Authorization header.");
  const credentials = basic ?? (posted ? { clientId: form.get("client_id") ?? "", clientSecret: form.get("client_secret") ?? "" } : null);
  if (!credentials)
    return tokenError({
      status: 401,
      error: "invalid_client",
      description: "Authenticate the client with HTTP Basic (client_secret_basic) or client_id and client_secret in the body.",
    });

  // A machine's request: no cookies are read or set, not even the read-replica bookmark.
  const ctx = createAppContext(c.env, {
    ip: c.req.header("cf-connecting-ip") ?? null,
    userAgent: c.req.header("user-agent") ?? null,
    cookies: { get: () => undefined, set: () => undefined, clear: () => undefined },
    responseHeaders: new Headers(),
    waitUntil: (p) => c.executionCtx.waitUntil(p),
  });
  const outcome = await grantClientCredentials(ctx, { ...credentials, scope: form.get("scope") });
  if ("error" in outcome) return tokenError(outcome);
  return c.json(outcome, 200, NO_STORE);
});

oauthRoutes.all("/token", (c) => c.json({ error: "invalid_request", error_description: "Use POST." }, 405, { Allow: "POST" }));

/** RFC 8414 authorization server metadata, at `/.well-known/oauth-authorization-server`. */
export function authorizationServerMetadata(appUrl: string) {
  return {
    issuer: appUrl,
    token_endpoint: `${appUrl}/oauth/token`,
    grant_types_supported: ["client_credentials"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    scopes_supported: [...API_SCOPES],
    response_types_supported: [],
    service_documentation: `${appUrl}/help/articles/use-the-laurel-api`,
  };
}
