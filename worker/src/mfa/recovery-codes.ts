import { and, eq, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AppContext } from "../context";
import { rowExists } from "../db/conditional";
import { randomBytes, sha256Hex, timingSafeEqual } from "../lib/crypto";
import { crockfordEncode, groupsOf, normalizeCrockford } from "./base32";
import { recoveryCodes } from "./mfa.table";

/** 15 random bytes: 120 bits, 24 Crockford base32 characters. */
const RECOVERY_CODE_BYTES = 15;
export const RECOVERY_CODE_LENGTH = 24;

export interface NewRecoveryCode {
  /** Shown once, as XXXX-XXXX-XXXX-XXXX-XXXX-XXXX. */
  code: string;
  hash: string;
}

export async function newRecoveryCode(): Promise<NewRecoveryCode> {
  const raw = crockfordEncode(randomBytes(RECOVERY_CODE_BYTES));
  return { code: groupsOf(raw, 4, "-"), hash: await sha256Hex(raw) };
}

/** Whatever a person typed, as the canonical string that was hashed; null when it cannot be one. */
export function canonicalRecoveryCode(input: string): string | null {
  const clean = normalizeCrockford(input);
  return clean && clean.length === RECOVERY_CODE_LENGTH ? clean : null;
}

/** Sets (or replaces) the user's recovery code; unexecuted, for the caller's batch. */
export function storeRecoveryCodeStatement(ctx: Pick<AppContext, "db">, userId: string, hash: string, now: number) {
  return ctx.db
    .insert(recoveryCodes)
    .values({ userId, codeHash: hash, createdAt: new Date(now) })
    .onConflictDoUpdate({ target: recoveryCodes.userId, set: { codeHash: hash, spentCodeHash: null, createdAt: new Date(now) } });
}

/** `when` makes the delete conditional inside its batch, as for authenticators. */
export function deleteRecoveryCodeStatement(ctx: Pick<AppContext, "db">, userId: string, when?: SQL) {
  return ctx.db.delete(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), when));
}

export async function getRecoveryCodeCreatedAt(ctx: Pick<AppContext, "db">, userId: string): Promise<Date | null> {
  const row = await ctx.db.query.recoveryCodes.findFirst({ where: eq(recoveryCodes.userId, userId) });
  return row?.createdAt ?? null;
}

export type Redemption = { kind: "redeemed"; replacement: string } | { kind: "spent" } | { kind: "wrong" };

/**
 * Spends the recovery code and returns its replacement; "spent" for the code used last
 * (so the person can be told it was replaced), "wrong" for anything else. The swap is one
 * conditional UPDATE, so of two racing requests only one wins; `follow` gives statements for
 * the same batch (an audit row, an email) that are to happen only if it did, given the
 * condition that says so.
 */
export async function redeemRecoveryCode(
  ctx: Pick<AppContext, "db">,
  userId: string,
  input: string,
  now: number,
  follow: (swapped: SQL) => Promise<BatchItem<"sqlite">[]> = async () => [],
): Promise<Redemption> {
  const canonical = canonicalRecoveryCode(input);
  const row = await ctx.db.query.recoveryCodes.findFirst({ where: eq(recoveryCodes.userId, userId) });
  const typed = canonical ? await sha256Hex(canonical) : "";
  if (!row || !canonical) return { kind: "wrong" };
  if (!timingSafeEqual(typed, row.codeHash)) {
    return row.spentCodeHash && timingSafeEqual(typed, row.spentCodeHash) ? { kind: "spent" } : { kind: "wrong" };
  }
  const next = await newRecoveryCode();
  const swapped = rowExists(ctx.db, recoveryCodes, and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, next.hash)));
  const [done] = await ctx.db.batch([
    ctx.db
      .update(recoveryCodes)
      .set({ codeHash: next.hash, spentCodeHash: row.codeHash, createdAt: new Date(now) })
      .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, row.codeHash)))
      .returning({ userId: recoveryCodes.userId }),
    ...(await follow(swapped)),
  ]);
  // A racing request spent it first: to this one it is the code used last.
  return done.length > 0 ? { kind: "redeemed", replacement: next.code } : { kind: "spent" };
}
