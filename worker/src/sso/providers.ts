import { createRemoteJWKSet } from "jose";
import type { Config, SsoProviderConfig } from "../env";
import { HOUR } from "../lib/time";
import { SsoError } from "./sso-error";

export type { SsoProviderConfig };

export function getSsoProvider(config: Config, name: string): SsoProviderConfig | null {
  return config.sso.providers.find((p) => p.name === name) ?? null;
}

export interface Discovery {
  /** For a multi-tenant provider, a template containing `{tenantid}`. */
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
}

const DISCOVERY_TTL_MS = HOUR;
// Per isolate: an isolate serves many requests, and providers change these documents rarely.
const discoveries = new Map<string, { discovery: Discovery; expiresAt: number }>();
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export async function discover(provider: SsoProviderConfig, now: number): Promise<Discovery> {
  const cached = discoveries.get(provider.issuer);
  if (cached && cached.expiresAt > now) return cached.discovery;
  let document: Record<string, unknown>;
  try {
    const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`, { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    document = (await response.json()) as Record<string, unknown>;
  } catch (error) {
    throw new SsoError("unavailable", `discovery for ${provider.name} failed: ${String(error)}`);
  }
  const discovery = parseDiscovery(provider, document);
  discoveries.set(provider.issuer, { discovery, expiresAt: now + DISCOVERY_TTL_MS });
  return discovery;
}

function parseDiscovery(provider: SsoProviderConfig, document: Record<string, unknown>): Discovery {
  const text = (key: string) => {
    const value = document[key];
    if (typeof value !== "string" || !/^https?:\/\//.test(value)) {
      throw new SsoError("unavailable", `discovery for ${provider.name} has no valid ${key}`);
    }
    return value;
  };
  const discovery = {
    issuer: text("issuer"),
    authorizationEndpoint: text("authorization_endpoint"),
    tokenEndpoint: text("token_endpoint"),
    jwksUri: text("jwks_uri"),
  };
  // OpenID Connect Discovery 1.0 §4.3: a document for another issuer must not be used.
  const expected = provider.multiTenant ? discovery.issuer.includes("{tenantid}") : discovery.issuer === provider.issuer;
  if (!expected) throw new SsoError("unavailable", `discovery for ${provider.name} names issuer ${discovery.issuer}`);
  return discovery;
}

/** jose's remote key set caches the keys and refetches when a token names an unknown `kid`. */
export function keySet(discovery: Discovery) {
  let set = keySets.get(discovery.jwksUri);
  if (!set) {
    set = createRemoteJWKSet(new URL(discovery.jwksUri));
    keySets.set(discovery.jwksUri, set);
  }
  return set;
}
