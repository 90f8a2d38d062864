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
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join("; ")}`);
  return {
    environment: environment as Environment,
    appUrl,
    appOrigin: new URL(appUrl).origin,
    appSecret,
    mfaEncryptionKey: mfaKey,
    termsVersion: env.TERMS_VERSION || "2026-11-01",
    email: {
      transport: transport as EmailTransport,
      from: env.EMAIL_FROM,
      httpUrl: env.EMAIL_HTTP_URL ?? "",
      apiKey: env.EMAIL_API_KEY ?? "",
    },
  };
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
