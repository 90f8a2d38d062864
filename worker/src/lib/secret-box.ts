import { base64ToBytes, bytesToBase64Url, randomBytes } from "./crypto";

// AES-256-GCM for secrets at rest (TOTP secrets, issuers' signing keys, sealed outbox payloads).
// The additional data binds a ciphertext to its row, so it cannot be copied to another one.
const VERSION = "v1";

async function importKey(rawKey: Uint8Array<ArrayBuffer>) {
  return crypto.subtle.importKey("raw", rawKey, "AES-GCM", false, ["encrypt", "decrypt"]);
}

export async function seal(rawKey: Uint8Array<ArrayBuffer>, plaintext: string, boundTo: string): Promise<string> {
  const iv = randomBytes(12);
  const data = new TextEncoder().encode(plaintext);
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(boundTo) },
    await importKey(rawKey),
    data,
  );
  return `${VERSION}.${bytesToBase64Url(iv)}.${bytesToBase64Url(new Uint8Array(sealed))}`;
}

export async function open(rawKey: Uint8Array<ArrayBuffer>, box: string, boundTo: string): Promise<string> {
  const [version, iv, sealed] = box.split(".");
  if (version !== VERSION || !iv || !sealed) throw new Error("Unknown secret box format");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: base64ToBytes(iv), additionalData: new TextEncoder().encode(boundTo) },
    await importKey(rawKey),
    base64ToBytes(sealed),
  );
  return new TextDecoder().decode(plain);
}

/**
 * A sealing key for one purpose, derived from APP_SECRET with HKDF so one secret does not serve
 * two purposes directly. Rotating APP_SECRET means re-sealing what these keys sealed.
 */
export async function derivedSealingKey(appSecret: string, purpose: string): Promise<Uint8Array<ArrayBuffer>> {
  const base = await crypto.subtle.importKey("raw", base64ToBytes(appSecret), "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new TextEncoder().encode("laurel"), info: new TextEncoder().encode(purpose) },
    base,
    256,
  );
  return new Uint8Array(bits);
}
