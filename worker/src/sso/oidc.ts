import { errors as joseErrors, jwtVerify } from "jose";
import { bytesToBase64Url, timingSafeEqual } from "../lib/crypto";
import { type Discovery, keySet, type SsoProviderConfig } from "./providers";
import { SsoError } from "./sso-error";

// The OpenID Connect authorization code flow (with PKCE), as a relying party.

export const SCOPE = "openid email profile";
const CLOCK_TOLERANCE_SECONDS = 60;
/** A token from the callback's exchange was issued moments ago; an old one is a replay. */
const MAX_TOKEN_AGE = "10 minutes";

export function redirectUri(appUrl: string, provider: SsoProviderConfig): string {
  return `${appUrl}/auth/sso/${provider.name}/callback`;
}

export async function codeChallenge(verifier: string): Promise<string> {
  return bytesToBase64Url(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))));
}

export async function authorizationUrl(
  discovery: Discovery,
  provider: SsoProviderConfig,
  request: { redirectUri: string; state: string; nonce: string; codeVerifier: string },
): Promise<string> {
  const url = new URL(discovery.authorizationEndpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", provider.clientId);
  url.searchParams.set("redirect_uri", request.redirectUri);
  url.searchParams.set("scope", SCOPE);
  url.searchParams.set("state", request.state);
  url.searchParams.set("nonce", request.nonce);
  url.searchParams.set("code_challenge", await codeChallenge(request.codeVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  return url.toString();
}

/** Exchanges the code at the token endpoint (client_secret_post) and returns the raw ID token. */
export async function exchangeCode(
  discovery: Discovery,
  provider: SsoProviderConfig,
  request: { code: string; redirectUri: string; codeVerifier: string },
): Promise<string> {
  const body = new URLSearchParams({
    grant_type: "authorization_code",
    code: request.code,
    redirect_uri: request.redirectUri,
    client_id: provider.clientId,
    client_secret: provider.clientSecret,
    code_verifier: request.codeVerifier,
  });
  let response: Response;
  try {
    response = await fetch(discovery.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
    });
  } catch (error) {
    throw new SsoError("unavailable", `token endpoint of ${provider.name} unreachable: ${String(error)}`);
  }
  const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    // invalid_grant: the code was used, expired or does not match the verifier.
    throw new SsoError("invalid", `token endpoint of ${provider.name} answered ${response.status} ${String(payload.error)}`);
  }
  if (typeof payload.id_token !== "string") throw new SsoError("invalid", `token endpoint of ${provider.name} sent no id_token`);
  return payload.id_token;
}

export interface IdClaims {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  givenName: string | null;
  familyName: string | null;
  name: string | null;
}

/** Checks signature, issuer, audience, times and nonce; anything wrong is `invalid`. */
export async function validateIdToken(
  discovery: Discovery,
  provider: SsoProviderConfig,
  idToken: string,
  expected: { nonce: string; now: number },
): Promise<IdClaims> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(idToken, keySet(discovery), {
      // A multi-tenant issuer depends on the token's `tid`, checked below.
      issuer: provider.multiTenant ? undefined : discovery.issuer,
      audience: provider.clientId,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: MAX_TOKEN_AGE,
      currentDate: new Date(expected.now),
      requiredClaims: ["iss", "sub", "aud", "exp", "iat", "nonce"],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError)
      throw new SsoError("invalid", `ID token from ${provider.name} refused: ${error.code} ${error.message}`);
    throw new SsoError("unavailable", `ID token from ${provider.name} not checked: ${String(error)}`);
  }
  if (provider.multiTenant) {
    const tid = payload.tid;
    if (typeof tid !== "string" || !tid || payload.iss !== discovery.issuer.replace("{tenantid}", tid)) {
      throw new SsoError("invalid", `ID token from ${provider.name} has issuer ${String(payload.iss)} for tenant ${String(tid)}`);
    }
  }
  if (typeof payload.nonce !== "string" || !timingSafeEqual(payload.nonce, expected.nonce)) {
    throw new SsoError("invalid", `ID token from ${provider.name} has the wrong nonce`);
  }
  const text = (key: string) =>
    typeof payload[key] === "string" && (payload[key] as string).trim() ? (payload[key] as string).trim() : null;
  return {
    issuer: String(payload.iss),
    subject: String(payload.sub),
    email: text("email")?.toLowerCase() ?? null,
    // Some providers send the string "true".
    emailVerified: payload.email_verified === true || payload.email_verified === "true",
    givenName: text("given_name"),
    familyName: text("family_name"),
    name: text("name"),
  };
}
