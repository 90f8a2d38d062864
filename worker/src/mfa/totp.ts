import { randomBytes, timingSafeEqual } from "../lib/crypto";
import { base32Encode } from "./base32";

// RFC 6238 with the parameters every authenticator app reads: HMAC-SHA-1, 6 digits, 30 s.
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Accept the previous and next step too, for clocks that drift a little. */
export const TOTP_WINDOW = 1;

/** A 160-bit secret, the size RFC 4226 recommends for HMAC-SHA-1. */
export const newTotpSecret = () => base32Encode(randomBytes(20));

export const timeStep = (nowMs: number) => Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);

export async function hotp(secret: Uint8Array<ArrayBuffer>, counter: number, digits = TOTP_DIGITS): Promise<string> {
  const message = new DataView(new ArrayBuffer(8));
  message.setUint32(0, Math.floor(counter / 2 ** 32));
  message.setUint32(4, counter >>> 0);
  const key = await crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, message.buffer));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, "0");
}

/**
 * Returns the time step whose code matches, or null. Every step in the window is
 * computed, so the time taken does not say which one matched.
 */
export async function matchTotp(secret: Uint8Array<ArrayBuffer>, code: string, nowMs: number): Promise<number | null> {
  const current = timeStep(nowMs);
  let matched: number | null = null;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    const expected = await hotp(secret, step);
    if (timingSafeEqual(expected, code) && matched === null) matched = step;
  }
  return matched;
}

export function otpauthUri(accountName: string, secret: string): string {
  const label = `Laurel:${encodeURIComponent(accountName)}`;
  const params = new URLSearchParams({
    secret,
    issuer: "Laurel",
    algorithm: "SHA1",
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params}`;
}
