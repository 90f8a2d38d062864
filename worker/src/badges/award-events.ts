import type { SQL } from "drizzle-orm";
import type { Db } from "../database";
import { type OutboxWrite, outboxInsert, outboxInsertFrom } from "../outbox/intents";

// The badges domain's outbox events, written in the batch of the change they follow. Payloads
// carry ids only: no personal data waits in the outbox (handlers: notifications.ts).

export const AWARD_CREATED = "award.created";
export const AWARD_REVOKED = "award.revoked";
export const AWARD_ACCEPTED = "award.accepted";

export interface AwardEventPayload {
  awardId: string;
}

/** For the batch that inserts the award; `when` for an insert that may not happen (an idempotency key already used). */
export function awardCreatedIntent(db: Db, awardId: string, now: number, when?: SQL): OutboxWrite {
  return outboxInsert(db, { kind: AWARD_CREATED, key: `${AWARD_CREATED}:${awardId}`, payload: { awardId } }, now, when);
}

/** For the batch that revokes the award. */
export function awardRevokedIntent(db: Db, awardId: string, now: number): OutboxWrite {
  return outboxInsert(db, { kind: AWARD_REVOKED, key: `${AWARD_REVOKED}:${awardId}`, payload: { awardId } }, now);
}

/** For the batch of a recipient's first acceptance: `when` holds only if this batch accepts it. */
export function awardAcceptedIntent(db: Db, awardId: string, now: number, when: SQL): OutboxWrite {
  return outboxInsert(db, { kind: AWARD_ACCEPTED, key: `${AWARD_ACCEPTED}:${awardId}`, payload: { awardId } }, now, when);
}

/** Source keys per statement: the JSON parameter of 500 CSV keys is about 35 kB. */
const SOURCE_KEYS_PER_STATEMENT = 500;

/**
 * For the batch of a bulk award, after its inserts: an `award.created` event for every award
 * of these rows that was never notified, whether this batch inserted it or an earlier upload
 * did and its email never went (an event still pending is left alone). Each statement returns
 * the ids of the events it armed.
 */
export function bulkAwardIntents(
  d1: Pick<D1Database, "prepare">,
  badgeClassId: string,
  sourceKeys: string[],
  now: number,
): D1PreparedStatement[] {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < sourceKeys.length; i += SOURCE_KEYS_PER_STATEMENT) {
    statements.push(
      outboxInsertFrom(
        d1,
        AWARD_CREATED,
        {
          sql: `select '${AWARD_CREATED}:' || id as key, json_object('awardId', id) as payload from awards
                where badge_class_id = ? and notified_at is null and revoked_at is null
                  and source_key in (select value from json_each(?))`,
          params: [badgeClassId, JSON.stringify(sourceKeys.slice(i, i + SOURCE_KEYS_PER_STATEMENT))],
        },
        now,
      ),
    );
  }
  return statements;
}
