import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Config } from "../env";
import { hmacSha256Hex, randomDigits, timingSafeEqual } from "../lib/crypto";
import { InvalidCodeError, RateLimitedError } from "../lib/errors";
import { HOUR, MINUTE } from "../lib/time";
import { type EmailCode, emailCodes } from "./codes.table";

export type CodePurpose = EmailCode["purpose"];

export const CODE_TTL_MS = 10 * MINUTE;
export const CODE_MAX_FAILURES = 5;
export const RESEND_INTERVAL_MS = MINUTE;
export const MAX_SENDS_PER_HOUR = 5;

interface CodeDeps {
  db: Db;
  config: Config;
}

/**
 * Issues a fresh code for (purpose, address), replacing any earlier one, and returns it
 * for the caller to email. Sending is throttled per address: one a minute, five an hour.
 */
export async function issueCode(
  { db, config }: CodeDeps,
  purpose: CodePurpose,
  address: string,
  payload: Record<string, unknown>,
  now: number,
): Promise<string> {
  const existing = await db.query.emailCodes.findFirst({
    where: and(eq(emailCodes.purpose, purpose), eq(emailCodes.address, address)),
  });
  const sameHour = existing !== undefined && existing.createdAt.getTime() > now - HOUR;
  if (existing && existing.lastSentAt.getTime() > now - RESEND_INTERVAL_MS) {
    const wait = Math.ceil((existing.lastSentAt.getTime() + RESEND_INTERVAL_MS - now) / 1000);
    throw new RateLimitedError(`We just sent a code. You can ask for another in ${wait} seconds.`, wait);
  }
  if (existing && sameHour && existing.sendCount >= MAX_SENDS_PER_HOUR) {
    const wait = Math.ceil((existing.createdAt.getTime() + HOUR - now) / 1000);
    throw new RateLimitedError("Too many codes were sent to this address. Try again later.", wait);
  }
  const code = randomDigits(6);
  const row = {
    purpose,
    address,
    codeHash: await hashCode(config, purpose, address, code),
    payload,
    failedAttempts: 0,
    sendCount: sameHour ? (existing?.sendCount ?? 0) + 1 : 1,
    lastSentAt: new Date(now),
    expiresAt: new Date(now + CODE_TTL_MS),
    createdAt: sameHour && existing ? existing.createdAt : new Date(now),
  };
  await db
    .insert(emailCodes)
    .values(row)
    .onConflictDoUpdate({ target: [emailCodes.purpose, emailCodes.address], set: row });
  return code;
}

/** Replaces a pending code with a new one for the same payload; null when nothing is pending. */
export async function reissueCode(
  deps: CodeDeps,
  purpose: CodePurpose,
  address: string,
  now: number,
): Promise<{ code: string; payload: Record<string, unknown> } | null> {
  const existing = await deps.db.query.emailCodes.findFirst({
    where: and(eq(emailCodes.purpose, purpose), eq(emailCodes.address, address)),
  });
  if (!existing) return null;
  return { code: await issueCode(deps, purpose, address, existing.payload, now), payload: existing.payload };
}

/**
 * Checks a code and, when right, deletes it in the same statement that matched it, so two
 * racing requests cannot both use it. Returns what the code unlocks.
 */
export async function consumeCode(
  { db, config }: CodeDeps,
  purpose: CodePurpose,
  address: string,
  code: string,
  now: number,
): Promise<Record<string, unknown>> {
  const match = and(eq(emailCodes.purpose, purpose), eq(emailCodes.address, address));
  const existing = await db.query.emailCodes.findFirst({ where: match });
  if (!existing || existing.expiresAt.getTime() <= now) {
    throw new InvalidCodeError("This code has expired or was already used. Ask for a new code.", 0);
  }
  const candidate = await hashCode(config, purpose, address, code);
  if (timingSafeEqual(candidate, existing.codeHash)) {
    const [consumed] = await db
      .delete(emailCodes)
      .where(and(match, eq(emailCodes.codeHash, candidate), sql`${emailCodes.expiresAt} > ${now}`))
      .returning({ payload: emailCodes.payload });
    if (consumed) return consumed.payload;
    throw new InvalidCodeError("This code has expired or was already used. Ask for a new code.", 0);
  }
  const [counted] = await db
    .update(emailCodes)
    .set({ failedAttempts: sql`${emailCodes.failedAttempts} + 1` })
    .where(and(match, eq(emailCodes.codeHash, existing.codeHash)))
    .returning({ failedAttempts: emailCodes.failedAttempts });
  const failures = counted?.failedAttempts ?? CODE_MAX_FAILURES;
  if (failures >= CODE_MAX_FAILURES) {
    await db.delete(emailCodes).where(and(match, eq(emailCodes.codeHash, existing.codeHash)));
    throw new InvalidCodeError("Too many wrong tries: this code no longer works. Ask for a new code.", 0);
  }
  const left = CODE_MAX_FAILURES - failures;
  throw new InvalidCodeError(`That code is not correct. ${left} ${left === 1 ? "try" : "tries"} left.`, left);
}

/** Keyed by APP_SECRET: a leaked table cannot be brute-forced back to six digits offline. */
function hashCode(config: Config, purpose: CodePurpose, address: string, code: string): Promise<string> {
  return hmacSha256Hex(config.appSecret, `email-code:${purpose}:${address}:${code}`);
}
