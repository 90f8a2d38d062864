import { base64ToBytes, bytesToBase64Url, randomBytes, timingSafeEqual } from "../lib/crypto";

/**
 * Cloudflare Workers refuse PBKDF2 above 100,000 iterations; local workerd does not,
 * so the number is a constant that a test pins. Hashes name their own algorithm and
 * cost (`pbkdf2-sha256$<iterations>$<salt>$<hash>`) so a later upgrade can rehash on sign-in.
 */
export const PBKDF2_ITERATIONS = 100_000;
const ALGORITHM = "pbkdf2-sha256";
const SALT_BYTES = 16;
const HASH_BITS = 256;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return `${ALGORITHM}$${PBKDF2_ITERATIONS}$${bytesToBase64Url(salt)}$${bytesToBase64Url(hash)}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, iterations, salt, hash] = stored.split("$");
  const cost = Number(iterations);
  if (algorithm !== ALGORITHM || !salt || !hash || !Number.isInteger(cost) || cost < 1 || cost > PBKDF2_ITERATIONS) {
    return false;
  }
  const actual = await derive(password, base64ToBytes(salt), cost);
  return timingSafeEqual(bytesToBase64Url(actual), hash);
}

export function parseHashIterations(stored: string): number {
  return Number(stored.split("$")[1]);
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password.normalize("NFKC")), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

let dummyHash: Promise<string> | undefined;

/** Spends the same PBKDF2 work when no account matches, so timing does not reveal which emails exist. */
export async function burnPasswordCheck(password: string): Promise<false> {
  dummyHash ??= hashPassword(bytesToBase64Url(randomBytes(16)));
  await verifyPassword(password, await dummyHash);
  return false;
}
