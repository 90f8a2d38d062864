import { base64ToBytes, randomBytes } from "../lib/crypto";
import { derivedSealingKey, open, seal } from "../lib/secret-box";

// The Standard Webhooks signature scheme (https://www.standardwebhooks.com/): a `whsec_`
// secret of random bytes in base64, and `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.

export const SECRET_PREFIX = "whsec_";

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** 256 random bits, in the form every Standard Webhooks library reads. */
export function newSigningSecret(): string {
  return `${SECRET_PREFIX}${toBase64(randomBytes(32))}`;
}

export const secretHint = (secret: string) => `${SECRET_PREFIX}…${secret.slice(-4)}`;

const sealingKey = (appSecret: string) => derivedSealingKey(appSecret, "webhook-signing-secret");

export async function sealSecret(appSecret: string, secret: string, endpointId: string): Promise<string> {
  return seal(await sealingKey(appSecret), secret, `webhook_endpoints:${endpointId}`);
}

export async function openSecret(appSecret: string, sealed: string, endpointId: string): Promise<string> {
  return open(await sealingKey(appSecret), sealed, `webhook_endpoints:${endpointId}`);
}

/** The three headers of one attempt; the timestamp is the attempt's, in seconds. */
export async function signedHeaders(secret: string, id: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  const key = await crypto.subtle.importKey(
    "raw",
    base64ToBytes(secret.slice(SECRET_PREFIX.length)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": `v1,${toBase64(new Uint8Array(mac))}`,
  };
}
