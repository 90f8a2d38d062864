// A loopback OpenID Connect provider for development and tests: discovery, JWKS, an
// authorization page, and a token endpoint that checks the client secret and PKCE.
// Two issuers share one port: /google, and /microsoft, which behaves like Microsoft's
// multi-tenant `common` endpoint (an issuer template with {tenantid}, a `tid` claim).
//
//   node tests/oidc-provider/provider.mjs        (port from OIDC_PORT, default 8799)
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export const ISSUER_NAMES = ["google", "microsoft"];
/** The tenant Microsoft uses for personal accounts; any other can be chosen on the page. */
export const DEFAULT_TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad";
const DEFAULT_CLIENTS = { "laurel-dev": "laurel-dev-secret", "laurel-test": "laurel-test-secret" };
const CODE_MS = 60_000;
const TOKEN_SECONDS = 300;

/**
 * Starts the provider. `clients` maps client id to secret. `testHooks` lets the authorization
 * form carry `test_overrides` (JSON: `{claims, omit, key: "rogue"}`) that change the ID token
 * issued for that code, for tests of tokens a real provider would never send.
 */
export async function startOidcProvider({ port = 0, host = "127.0.0.1", clients = DEFAULT_CLIENTS, testHooks = false } = {}) {
  const kid = randomUUID();
  const signing = await generateKeyPair("RS256", { extractable: true });
  // Same kid, different key: a token signed with it fails the signature check, not the key lookup.
  const rogue = await generateKeyPair("RS256", { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(signing.publicKey)), kid, alg: "RS256", use: "sig" }] };
  /** @type {Map<string, any>} */
  const codes = new Map();
  let url = "";

  const base = (name) => `${url}/${name}`;
  const discoveryIssuer = (name) => (name === "microsoft" ? `${base(name)}/{tenantid}/v2.0` : base(name));
  const tokenIssuer = (name, tid) => (name === "microsoft" ? `${base(name)}/${tid}/v2.0` : base(name));

  async function mintIdToken(claims, { key = "signing", omit = [] } = {}) {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iat: now, exp: now + TOKEN_SECONDS, ...claims };
    for (const name of omit) delete payload[name];
    return new SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
      .sign(key === "rogue" ? rogue.privateKey : signing.privateKey);
  }

  function discovery(name) {
    return {
      issuer: discoveryIssuer(name),
      authorization_endpoint: `${base(name)}/authorize`,
      token_endpoint: `${base(name)}/token`,
      jwks_uri: `${base(name)}/jwks`,
      response_types_supported: ["code"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "email", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      code_challenge_methods_supported: ["S256"],
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "nonce", "email", "email_verified", "name", "given_name", "family_name", "tid"],
    };
  }

  /** The authorization request's problem, or null. Without a valid client and redirect URI nothing may redirect. */
  function checkAuthorizationRequest(params) {
    if (!Object.hasOwn(clients, params.get("client_id") ?? "")) return "unknown client_id";
    const redirect = params.get("redirect_uri") ?? "";
    if (!/^https?:\/\/[^/]+\/auth\/sso\/[a-z0-9-]+\/callback$/.test(redirect)) return "redirect_uri is not a Laurel callback";
    if (params.get("response_type") !== "code") return "response_type must be code";
    if (!(params.get("scope") ?? "").split(" ").includes("openid")) return "scope must include openid";
    if (params.get("code_challenge_method") !== "S256" || !params.get("code_challenge")) return "PKCE with S256 is required";
    return null;
  }

  function authorizePage(name, params) {
    const hidden = ["client_id", "redirect_uri", "state", "nonce", "code_challenge", "code_challenge_method", "scope", "response_type"]
      .map((key) => `<input type="hidden" name="${key}" value="${escapeHtml(params.get(key) ?? "")}">`)
      .join("");
    const email = params.get("login_hint") ?? "ada@example.org";
    const tenant = name === "microsoft" ? `<label>Tenant id (tid) <input name="tid" value="${DEFAULT_TENANT}"></label>` : "";
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign in to ${name} (loopback)</title>
<style>body{font:16px system-ui;max-width:32rem;margin:3rem auto}label{display:block;margin:.6rem 0}input:not([type=checkbox]){width:100%;padding:.3rem}button{margin:.8rem .5rem 0 0;padding:.4rem 1rem}</style></head>
<body><h1>${escapeHtml(name)} (loopback test provider)</h1>
<p><strong>${escapeHtml(params.get("client_id") ?? "")}</strong> wants your email address and name.</p>
<form method="post" action="/${name}/authorize">${hidden}
<label>Email <input name="email" type="email" value="${escapeHtml(email)}" list="known-accounts" required></label>
<datalist id="known-accounts"><option value="ada@example.org"><option value="grace@example.org"><option value="learner@laurel.local"></datalist>
<label><input type="checkbox" name="email_verified" value="true" checked> The provider has verified this email</label>
<label>Given name <input name="given_name" value="Ada"></label>
<label>Family name <input name="family_name" value="Lovelace"></label>
<label>Subject (sub), empty for one derived from the email <input name="sub" value=""></label>
${tenant}
<button name="decision" value="allow">Allow</button><button name="decision" value="deny">Deny</button>
</form></body></html>`;
  }

  function authorizeDecision(name, form) {
    const redirect = new URL(form.get("redirect_uri"));
    const state = form.get("state");
    if (form.get("decision") !== "allow") {
      redirect.searchParams.set("error", "access_denied");
      if (state) redirect.searchParams.set("state", state);
      return redirect.toString();
    }
    const email = (form.get("email") ?? "").trim();
    const givenName = (form.get("given_name") ?? "").trim();
    const familyName = (form.get("family_name") ?? "").trim();
    const user = {
      sub: form.get("sub")?.trim() || createHash("sha256").update(`${name}:${email.toLowerCase()}`).digest("hex").slice(0, 24),
      email,
      email_verified: form.get("email_verified") === "true",
      name: form.get("name")?.trim() || [givenName, familyName].filter(Boolean).join(" "),
      given_name: givenName || undefined,
      family_name: familyName || undefined,
    };
    const overrides = testHooks && form.get("test_overrides") ? JSON.parse(form.get("test_overrides")) : {};
    const code = randomBytes(24).toString("base64url");
    codes.set(code, {
      issuerName: name,
      clientId: form.get("client_id"),
      redirectUri: form.get("redirect_uri"),
      codeChallenge: form.get("code_challenge"),
      nonce: form.get("nonce") || undefined,
      tid: name === "microsoft" ? form.get("tid") || DEFAULT_TENANT : undefined,
      user,
      overrides,
      expiresAt: Date.now() + CODE_MS,
    });
    redirect.searchParams.set("code", code);
    if (state) redirect.searchParams.set("state", state);
    return redirect.toString();
  }

  async function token(name, form, authorization) {
    let clientId = form.get("client_id");
    let secret = form.get("client_secret");
    if (authorization?.startsWith("Basic ")) {
      const [id, pass] = Buffer.from(authorization.slice(6), "base64").toString().split(":");
      clientId = decodeURIComponent(id ?? "");
      secret = decodeURIComponent(pass ?? "");
    }
    if (!clientId || !Object.hasOwn(clients, clientId) || clients[clientId] !== secret) return [401, { error: "invalid_client" }];
    if (form.get("grant_type") !== "authorization_code") return [400, { error: "unsupported_grant_type" }];
    const grant = codes.get(form.get("code") ?? "");
    codes.delete(form.get("code") ?? "");
    if (!grant || grant.expiresAt < Date.now() || grant.issuerName !== name || grant.clientId !== clientId) {
      return [400, { error: "invalid_grant", error_description: "unknown, used or expired code" }];
    }
    if (grant.redirectUri !== form.get("redirect_uri")) return [400, { error: "invalid_grant", error_description: "redirect_uri differs" }];
    const challenge = createHash("sha256")
      .update(form.get("code_verifier") ?? "")
      .digest("base64url");
    if (challenge !== grant.codeChallenge) return [400, { error: "invalid_grant", error_description: "PKCE verification failed" }];
    const claims = {
      iss: tokenIssuer(name, grant.tid),
      aud: clientId,
      ...grant.user,
      nonce: grant.nonce,
      ...(grant.tid ? { tid: grant.tid } : {}),
      ...grant.overrides.claims,
    };
    const idToken = await mintIdToken(claims, { key: grant.overrides.key, omit: grant.overrides.omit ?? [] });
    return [
      200,
      { access_token: randomBytes(24).toString("base64url"), token_type: "Bearer", expires_in: TOKEN_SECONDS, id_token: idToken },
    ];
  }

  const server = createServer(async (req, res) => {
    try {
      const requestUrl = new URL(req.url ?? "/", url);
      const [, name, ...rest] = requestUrl.pathname.split("/");
      const route = `${req.method} /${rest.join("/")}`;
      if (!ISSUER_NAMES.includes(name ?? "")) return send(res, 404, { error: "not_found" });
      if (route === "GET /.well-known/openid-configuration") return send(res, 200, discovery(name));
      if (route === "GET /jwks") return send(res, 200, jwks);
      if (route === "GET /authorize") {
        const problem = checkAuthorizationRequest(requestUrl.searchParams);
        if (problem) return sendText(res, 400, `Bad authorization request: ${problem}`);
        return res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(authorizePage(name, requestUrl.searchParams));
      }
      if (route === "POST /authorize") {
        const form = new URLSearchParams(await readBody(req));
        const problem = checkAuthorizationRequest(form);
        if (problem) return sendText(res, 400, `Bad authorization request: ${problem}`);
        return res.writeHead(302, { location: authorizeDecision(name, form) }).end();
      }
      if (route === "POST /token") {
        const [status, body] = await token(name, new URLSearchParams(await readBody(req)), req.headers.authorization);
        return send(res, status, body);
      }
      return send(res, 404, { error: "not_found" });
    } catch (error) {
      return sendText(res, 500, String(error));
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  url = `http://${host}:${server.address().port}`;
  return {
    url,
    /** The issuer URL to configure for `name` ("google" or "microsoft"). */
    issuer: base,
    tokenIssuer,
    mintIdToken,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function send(res, status, body) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" }).end(JSON.stringify(body));
}

function sendText(res, status, text) {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(text);
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.OIDC_PORT ?? 8799);
  const clientId = process.env.OIDC_CLIENT_ID ?? "laurel-dev";
  const clients = { ...DEFAULT_CLIENTS, [clientId]: process.env.OIDC_CLIENT_SECRET ?? DEFAULT_CLIENTS[clientId] ?? "laurel-dev-secret" };
  const provider = await startOidcProvider({ port, clients });
  const providers = [
    { name: "google", label: "Google", issuer: provider.issuer("google"), clientId },
    { name: "microsoft", label: "Microsoft", issuer: provider.issuer("microsoft"), clientId, multiTenant: true },
  ];
  console.log(`OIDC test provider on ${provider.url}`);
  console.log(`SSO_PROVIDERS=${JSON.stringify(providers)}`);
  console.log(`SSO_GOOGLE_CLIENT_SECRET=${clients[clientId]}\nSSO_MICROSOFT_CLIENT_SECRET=${clients[clientId]}`);
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => provider.close().then(() => process.exit(0)));
}
