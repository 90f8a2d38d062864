import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../database";
import { randomToken } from "../lib/crypto";
import { IdempotencyKeyReusedError } from "../lib/errors";
import { idempotencyKeys } from "./idempotency.table";

export interface IdempotentRequest {
  userId: string;
  operation: string;
  key: string;
  requestHash: string;
}

/**
 * The claim of one request on its key, for the batch of its change: `claim(when)` inserts the
 * key's row only if no request holds it yet (and `when` holds); `held` is true, later in the
 * same batch, only for the request whose claim was written, so the change's statements are
 * guarded by it; `setResult` stores the answer under the same guard.
 */
export function idempotencyClaim(db: Db, request: IdempotentRequest, now: number) {
  const holder = randomToken(16);
  const mine = and(
    eq(idempotencyKeys.userId, request.userId),
    eq(idempotencyKeys.operation, request.operation),
    eq(idempotencyKeys.key, request.key),
    eq(idempotencyKeys.holder, holder),
  );
  return {
    claim: (when: SQL = sql`1`) =>
      db
        .insert(idempotencyKeys)
        .select(
          sql`select ${request.userId}, ${request.operation}, ${request.key}, ${request.requestHash}, ${holder}, null, ${now} where ${when}`,
        )
        .onConflictDoNothing(),
    held: sql`exists (select 1 from ${idempotencyKeys} where ${mine})`,
    /** `held` as SQL text and parameters, for statements prepared on D1 directly. */
    heldRaw: (): { sql: string; params: unknown[] } => {
      const query = db.select({ one: sql`1` }).from(idempotencyKeys).where(mine).toSQL();
      return { sql: `exists (${query.sql})`, params: query.params };
    },
    setResult: (result: SQL) =>
      db
        .update(idempotencyKeys)
        .set({ result: sql`json(${result})` })
        .where(mine),
  };
}

/**
 * What the key first answered, for a request whose claim lost; null when no request holds the
 * key (the first one changed nothing). A different request with the same key is refused.
 */
export async function earlierResult<T>(db: Db, request: IdempotentRequest, what: string): Promise<T | null> {
  const row = await db.query.idempotencyKeys.findFirst({
    where: and(
      eq(idempotencyKeys.userId, request.userId),
      eq(idempotencyKeys.operation, request.operation),
      eq(idempotencyKeys.key, request.key),
    ),
  });
  if (!row) return null;
  if (row.requestHash !== request.requestHash)
    throw new IdempotencyKeyReusedError(`This idempotency key was already used for a different ${what}. Send a new key for a new one.`);
  return row.result as T;
}
