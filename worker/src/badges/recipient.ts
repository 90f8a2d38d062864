import { randomToken, sha256Hex } from "../lib/crypto";

/**
 * The recipient as public documents show it (Open Badges 2.0 hashed identity):
 * `sha256$` + hex(SHA-256(email + salt)), with a per-award salt so equal emails do not link.
 */
export async function hashedRecipient(email: string): Promise<{ salt: string; hash: string }> {
  const salt = randomToken(16);
  return { salt, hash: await recipientHash(email, salt) };
}

export async function recipientHash(email: string, salt: string): Promise<string> {
  return `sha256$${await sha256Hex(email.trim().toLowerCase() + salt)}`;
}
