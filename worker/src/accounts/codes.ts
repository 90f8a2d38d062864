import { and, eq, sql } from "drizzle-orm";
import type { AppContext } from "../context";
import type { Db } from "../database";
import type { EmailMessage } from "../email/message";
import { emailIntent } from "../email/queued-email";
import type { Config } from "../env";
import { hmacSha256Hex, randomDigits, timingSafeEqual } from "../lib/crypto";
import { InvalidCodeError } from "../lib/errors";
import { MINUTE } from "../lib/time";
import { afterCommit } from "../outbox/enqueue";
import {
  attemptsLeft,
  clearAttemptsStatement,
  pausedByThis,
  pausedByThisError,
  refusedError,
  reserveAttempt,
  settleSuccessStatements,
} from "../throttling/guard";
import { codeSendKeys, EMAIL_CODE_TRIES, emailCodeKeys, emailCodeTriesKey } from "../throttling/policies";
import { type EmailCode, emailCodes } from "./codes.table";

export type CodePurpose = EmailCode["purpose"];

export const CODE_TTL_MS = 10 * MINUTE;

type CodeDeps = Pick<AppContext, "db" | "config" | "ip" | "env" | "now" | "waitUntil">;

/** The email that carries a code, rendered once the code exists. */
export type CodeEmail = (code: string) => EmailMessage;

const expiredOrUsed = () => new InvalidCodeError("This code has expired or was already used. Ask for a new code.", 0);
const tooManyTries = () => new InvalidCodeError("Too many wrong tries: this code no longer works. Ask for a new code.", 0);

/**
 * Reserves one send of a (purpose, address) code: per address a short backoff, per network
 * a quota. The keys are the typed address, so an address without an account is throttled the
 * same way, and every answer looks the same.
 */
async function reserveSend({ db, ip }: CodeDeps, purpose: CodePurpose, address: string, now: number) {
  const reservation = await reserveAttempt(db, codeSendKeys(purpose, address, ip), now);
  if (!reservation.granted) throw refusedError(reservation);
}

/** Stores a new code and, in the same batch, the intent to email it (never sent after it expired). */
async function storeAndSend(
  deps: CodeDeps,
  purpose: CodePurpose,
  address: string,
  payload: Record<string, unknown>,
  email: CodeEmail,
  now: number,
) {
  const code = randomDigits(6);
  const expiresAt = now + CODE_TTL_MS;
  const row = {
    purpose,
    address,
    codeHash: await hashCode(deps.config, purpose, address, code),
    payload,
    expiresAt: new Date(expiresAt),
    createdAt: new Date(now),
  };
  const mail = await emailIntent(deps, email(code), now, { notAfter: expiresAt });
  await deps.db.batch([
    deps.db
      .insert(emailCodes)
      .values(row)
      .onConflictDoUpdate({ target: [emailCodes.purpose, emailCodes.address], set: row }),
    // A new code comes with a full set of tries.
    clearAttemptsStatement(deps.db, emailCodeTriesKey(purpose, address)),
    mail.statement,
  ]);
  afterCommit(deps, [mail.id]);
}

/** Issues a fresh code for (purpose, address), replacing any earlier one, and emails it. */
export async function issueCode(
  deps: CodeDeps,
  purpose: CodePurpose,
  address: string,
  payload: Record<string, unknown>,
  email: CodeEmail,
  now: number,
): Promise<void> {
  await reserveSend(deps, purpose, address, now);
  await storeAndSend(deps, purpose, address, payload, email, now);
}

/** Replaces a pending code with a new one for the same payload and emails it; false when nothing is pending. */
export async function reissueCode(
  deps: CodeDeps,
  purpose: CodePurpose,
  address: string,
  email: (code: string, payload: Record<string, unknown>) => EmailMessage,
  now: number,
): Promise<boolean> {
  // Reserved first, so asking counts the same whether or not a code is pending.
  await reserveSend(deps, purpose, address, now);
  const existing = await deps.db.query.emailCodes.findFirst({
    where: and(eq(emailCodes.purpose, purpose), eq(emailCodes.address, address)),
  });
  if (!existing) return false;
  await storeAndSend(deps, purpose, address, existing.payload, (code) => email(code, existing.payload), now);
  return true;
}

/**
 * Checks a code under the guard: the try is reserved before the code is looked at, so a burst
 * of guesses gets no more than five checked. A right code is deleted in the same statement
 * that matched it, so two racing requests cannot both use it. Returns what the code unlocks.
 */
export async function consumeCode(
  { db, config, ip }: Pick<AppContext, "db" | "config" | "ip">,
  purpose: CodePurpose,
  address: string,
  code: string,
  now: number,
): Promise<Record<string, unknown>> {
  const reservation = await reserveAttempt(db, emailCodeKeys(purpose, address, ip), now);
  if (!reservation.granted) {
    if (reservation.refusedBy.slot.policy === EMAIL_CODE_TRIES) throw tooManyTries();
    throw refusedError(reservation);
  }
  const match = and(eq(emailCodes.purpose, purpose), eq(emailCodes.address, address));
  const existing = await db.query.emailCodes.findFirst({ where: match });
  if (!existing || existing.expiresAt.getTime() <= now) throw expiredOrUsed();
  const candidate = await hashCode(config, purpose, address, code);
  if (timingSafeEqual(candidate, existing.codeHash)) {
    const [consumed] = await db.batch([
      db
        .delete(emailCodes)
        .where(and(match, eq(emailCodes.codeHash, candidate), sql`${emailCodes.expiresAt} > ${now}`))
        .returning({ payload: emailCodes.payload }),
      ...settleSuccessStatements(db, reservation),
    ]);
    if (consumed[0]) return consumed[0].payload;
    throw expiredOrUsed();
  }
  const left = attemptsLeft(reservation, EMAIL_CODE_TRIES.name) ?? 0;
  if (left === 0) {
    await db.delete(emailCodes).where(and(match, eq(emailCodes.codeHash, existing.codeHash)));
    throw tooManyTries();
  }
  const networkPaused = pausedByThisError(reservation, pausedByThis(reservation));
  if (networkPaused) throw networkPaused;
  throw new InvalidCodeError(`That code is not correct. ${left} ${left === 1 ? "try" : "tries"} left.`, left);
}

/** The password hash of a registration at `address` still waiting for its code, or null. */
export async function getPendingRegistrationHash(db: Db, address: string, now: number): Promise<string | null> {
  const row = await db.query.emailCodes.findFirst({ where: and(eq(emailCodes.purpose, "register"), eq(emailCodes.address, address)) });
  const hash = row && row.expiresAt.getTime() > now ? row.payload.passwordHash : null;
  return typeof hash === "string" ? hash : null;
}

/** Keyed by APP_SECRET: a leaked table cannot be brute-forced back to six digits offline. */
function hashCode(config: Config, purpose: CodePurpose, address: string, code: string): Promise<string> {
  return hmacSha256Hex(config.appSecret, `email-code:${purpose}:${address}:${code}`);
}
