// The one place that reads and validates configuration and secrets. Everything else
// receives a typed `Config`, never the raw bindings' strings.
export type Environment = "development" | "test" | "production";
export type EmailTransport = "cloudflare" | "http" | "outbox";

export interface Config {
  environment: Environment;
  appUrl: string;
  appOrigin: string;
  appSecret: string;
  mfaEncryptionKey: string;
  termsVersion: string;
  email: { transport: EmailTransport; from: string; httpUrl: string; apiKey: string };
  sso: { providers: SsoProviderConfig[] };
  /** Whether the public verifier may fetch other issuers' documents over the network. */
  verifyRemote: boolean;
  /** Cloudflare Turnstile on the signed-out forms, when a site key is configured; null: off. */
  turnstile: TurnstileConfig | null;
}

/**
 * `TURNSTILE_SITE_KEY` (public, shown to the widget) with the `TURNSTILE_SECRET_KEY` secret;
 * the siteverify and widget script addresses default to Cloudflare's, and point at the
 * loopback peer (tests/turnstile-peer) in development and tests.
 */
export interface TurnstileConfig {
  siteKey: string;
  secretKey: string;
  siteverifyUrl: string;
  scriptUrl: string;
}

const TURNSTILE_SITEVERIFY = "https://challenges.cloudflare.com/turnstile/v0/siteverify";
const TURNSTILE_SCRIPT = "https://challenges.cloudflare.com/turnstile/v0/api.js";

/** An OpenID Connect provider from `SSO_PROVIDERS`; its secret from `SSO_<NAME>_CLIENT_SECRET`. */
export interface SsoProviderConfig {
  /** Lower case; appears in URLs (`/auth/sso/<name>/...`) and the secret's name. */
  name: string;
  label: string;
  /** Without a trailing slash; discovery is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * The discovery document's issuer is a template with `{tenantid}` (Microsoft's `common`
   * endpoint): each token's `iss` must equal it with the token's own `tid` filled in.
   */
  multiTenant: boolean;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

const cache = new WeakMap<Env, Config>();

export function getConfig(env: Env): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const config = readConfig(env);
  cache.set(env, config);
  return config;
}

function readConfig(env: Env): Config {
  const problems: string[] = [];
  const environment = oneOf(env.ENVIRONMENT, ["development", "test", "production"] as const, "ENVIRONMENT", problems);
  const transport = oneOf(env.EMAIL_TRANSPORT, ["cloudflare", "http", "outbox"] as const, "EMAIL_TRANSPORT", problems);
  let appUrl = "";
  try {
    appUrl = new URL(env.APP_URL).toString().replace(/\/$/, "");
  } catch {
    problems.push("APP_URL must be an absolute URL");
  }
  const appSecret = env.APP_SECRET ?? "";
  if (base64Length(appSecret) < 32) problems.push("APP_SECRET must be at least 32 bytes, base64");
  const mfaKey = env.MFA_ENCRYPTION_KEY ?? "";
  if (base64Length(mfaKey) !== 32) problems.push("MFA_ENCRYPTION_KEY must be exactly 32 bytes, base64");
  if (transport === "http" && (!env.EMAIL_HTTP_URL || !env.EMAIL_API_KEY)) {
    problems.push("EMAIL_TRANSPORT=http needs EMAIL_HTTP_URL and the EMAIL_API_KEY secret");
  }
  if (environment === "production" && transport === "outbox") {
    problems.push("the outbox transport keeps mail in D1 and is for development only");
  }
  const ssoProviders = readSsoProviders(env, environment, problems);
  const turnstile = readTurnstile(env, environment, problems);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  return {
    environment: environment as Environment,
    appUrl,
    appOrigin: new URL(appUrl).origin,
    appSecret,
    mfaEncryptionKey: mfaKey,
    termsVersion: env.TERMS_VERSION || "2026-11-01",
    verifyRemote: (env as { VERIFY_REMOTE?: string }).VERIFY_REMOTE !== "off",
    email: {
      transport: transport as EmailTransport,
      from: env.EMAIL_FROM,
      httpUrl: env.EMAIL_HTTP_URL ?? "",
      apiKey: env.EMAIL_API_KEY ?? "",
    },
    sso: { providers: ssoProviders },
    turnstile,
  };
}

/** Both keys or neither; addresses https, or http on loopback outside production. */
function readTurnstile(env: Env, environment: string, problems: string[]): TurnstileConfig | null {
  // Not declared in wrangler.toml: Turnstile is optional.
  const raw = env as unknown as Record<string, unknown>;
  const text = (name: string) => (typeof raw[name] === "string" ? (raw[name] as string).trim() : "");
  const siteKey = text("TURNSTILE_SITE_KEY");
  const secretKey = text("TURNSTILE_SECRET_KEY");
  if (!siteKey && !secretKey) return null;
  if (!siteKey || !secretKey) {
    problems.push("Turnstile needs both TURNSTILE_SITE_KEY and the TURNSTILE_SECRET_KEY secret, or neither");
    return null;
  }
  const address = (name: string, fallback: string) => {
    const value = text(name) || fallback;
    try {
      const url = new URL(value);
      const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost";
      if (url.protocol !== "https:" && (environment === "production" || url.protocol !== "http:" || !loopback)) throw new Error("scheme");
      return url.toString();
    } catch {
      problems.push(`${name} must be an https URL (http only on loopback outside production)`);
      return "";
    }
  };
  return {
    siteKey,
    secretKey,
    siteverifyUrl: address("TURNSTILE_SITEVERIFY_URL", TURNSTILE_SITEVERIFY),
    scriptUrl: address("TURNSTILE_SCRIPT_URL", TURNSTILE_SCRIPT),
  };
}

const PROVIDER_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Providers are data, not code: a new one is a JSON entry and a secret. */
function readSsoProviders(env: Env, environment: string, problems: string[]): SsoProviderConfig[] {
  // Neither name is declared in wrangler.toml: providers are optional and the secrets' names vary.
  const raw = env as unknown as Record<string, unknown>;
  const json = typeof raw.SSO_PROVIDERS === "string" ? raw.SSO_PROVIDERS.trim() : "";
  if (!json) return [];
  let entries: unknown;
  try {
    entries = JSON.parse(json);
  } catch {
    problems.push("SSO_PROVIDERS must be a JSON array");
    return [];
  }
  if (!Array.isArray(entries)) {
    problems.push("SSO_PROVIDERS must be a JSON array");
    return [];
  }
  const providers: SsoProviderConfig[] = [];
  for (const [index, entry] of entries.entries()) {
    const where = `SSO_PROVIDERS[${index}]`;
    const e = (entry ?? {}) as Record<string, unknown>;
    const name = typeof e.name === "string" ? e.name : "";
    if (!PROVIDER_NAME.test(name)) {
      problems.push(`${where}.name must be lower case letters, digits and dashes`);
      continue;
    }
    if (providers.some((p) => p.name === name)) problems.push(`${where}.name "${name}" is used twice`);
    const secretName = `SSO_${name.toUpperCase().replaceAll("-", "_")}_CLIENT_SECRET`;
    const clientSecret = typeof raw[secretName] === "string" ? (raw[secretName] as string) : "";
    if (!clientSecret) problems.push(`SSO provider "${name}" needs the ${secretName} secret`);
    if (typeof e.label !== "string" || !e.label.trim()) problems.push(`${where}.label is required`);
    if (typeof e.clientId !== "string" || !e.clientId) problems.push(`${where}.clientId is required`);
    if (e.multiTenant !== undefined && typeof e.multiTenant !== "boolean") problems.push(`${where}.multiTenant must be true or false`);
    let issuer = "";
    try {
      const url = new URL(String(e.issuer));
      if (url.search || url.hash) throw new Error("query");
      // Plain http only for loopback providers in development and tests.
      if (url.protocol !== "https:" && (environment === "production" || url.protocol !== "http:")) throw new Error("scheme");
      issuer = url.toString().replace(/\/$/, "");
    } catch {
      problems.push(`${where}.issuer must be an https URL without query or fragment`);
    }
    providers.push({
      name,
      label: String(e.label ?? "").trim(),
      issuer,
      clientId: String(e.clientId ?? ""),
      clientSecret,
      multiTenant: e.multiTenant === true,
    });
  }
  return providers;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string, problems: string[]) {
  if (!allowed.includes(value as T)) problems.push(`${name} must be one of ${allowed.join(", ")}`);
  return value as T;
}

function base64Length(value: string): number {
  try {
    return atob(value).length;
  } catch {
    return 0;
  }
}
