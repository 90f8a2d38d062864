import { base64ToBytes, bytesToBase64Url, randomBytes } from "../lib/crypto";

// AES-256-GCM for TOTP secrets at rest. The key comes from the MFA_ENCRYPTION_KEY secret;
// the additional data binds a ciphertext to its row, so it cannot be copied to another user.
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
