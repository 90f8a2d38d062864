import type { SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../database";
import { insertWhere } from "../db/conditional";
import { newId } from "../lib/ids";
import { derivedSealingKey, open, seal } from "../lib/secret-box";
import { outboxEvents } from "./outbox.table";

// Statement builders: a service puts what they return in the same D1 batch as the change the
// event follows, so the change and its intent commit together or not at all.

export interface OutboxIntent {
  kind: string;
  payload: unknown;
  /** At most one event per key: writing the same intent again (a retried request) does nothing. */
  key?: string;
}

export interface OutboxWrite {
  /** For `afterCommit`: the event's id once the batch committed. */
  id: string;
  statement: BatchItem<"sqlite">;
}

function row(id: string, intent: OutboxIntent, payload: string, sealed: boolean, now: number) {
  return {
    id,
    kind: intent.kind,
    key: intent.key ?? null,
    payload,
    sealed,
    status: "pending" as const,
    createdAt: new Date(now),
    availableAt: new Date(now),
    attempts: 0,
  };
}

/**
 * The insert of one event whose payload may sit in D1 as it is (ids, not personal data or
 * secrets). With `when`, only if that holds as the batch runs (the change it follows happened).
 */
export function outboxInsert(db: Db, intent: OutboxIntent, now: number, when?: SQL): OutboxWrite {
  const id = newId();
  const values = row(id, intent, JSON.stringify(intent.payload ?? null), false, now);
  const statement = (when ? insertWhere(db, outboxEvents, values, when) : db.insert(outboxEvents).values(values)).onConflictDoNothing();
  return { id, statement };
}

/**
 * The insert of one event whose payload is sealed at rest (a rendered email may carry a code
 * or a name): AES-GCM under a key derived from APP_SECRET, bound to the event's id, and
 * emptied once the event is done or failed.
 */
export async function sealedOutboxInsert(
  ctx: { db: Db; config: { appSecret: string } },
  intent: OutboxIntent,
  now: number,
  /** Written only if this holds when the batch runs (the change it follows won its race). */
  when?: SQL,
): Promise<OutboxWrite> {
  const id = newId();
  const box = await seal(await payloadKey(ctx.config.appSecret), JSON.stringify(intent.payload ?? null), boundTo(id));
  const values = row(id, intent, box, true, now);
  const statement = when
    ? insertWhere(ctx.db, outboxEvents, values, when).onConflictDoNothing()
    : ctx.db.insert(outboxEvents).values(values).onConflictDoNothing();
  return { id, statement };
}

/**
 * One event per row a query selects, for changes too large to list (a bulk award): `select`
 * yields the columns `key` and `payload` (JSON text). Since the select is the judge of what is
 * still owed, an event of the same key that finished (done, or failed for good) is armed
 * again, under the new id so stale queue messages miss it; a pending one is left alone. Ids are
 * drawn in SQL (128 random bits, hex). The statement returns the ids it armed, for `afterCommit`.
 */
export function outboxInsertFrom(
  d1: Pick<D1Database, "prepare">,
  kind: string,
  select: { sql: string; params: unknown[] },
  now: number,
): D1PreparedStatement {
  return d1
    .prepare(
      `insert into outbox_events (id, kind, key, payload, sealed, status, created_at, available_at, attempts)
       select lower(hex(randomblob(16))), ?, s.key, s.payload, 0, 'pending', ?, ?, 0 from (${select.sql}) as s where true
       on conflict (key) do update set id = excluded.id, payload = excluded.payload, sealed = 0, status = 'pending',
         available_at = excluded.available_at, queued_at = null, claimed_until = null, attempts = 0, last_error = null, finished_at = null
       where outbox_events.status <> 'pending'
       returning id`,
    )
    .bind(kind, now, now, ...select.params);
}

/** The ids an `outboxInsertFrom` statement returned in a batch's results. */
export function armedIds(result: D1Result<unknown>): string[] {
  return (result.results as { id: string }[]).map((r) => r.id);
}

export async function openPayload(appSecret: string, event: { id: string; payload: string; sealed: boolean }): Promise<unknown> {
  const json = event.sealed ? await open(await payloadKey(appSecret), event.payload, boundTo(event.id)) : event.payload;
  return JSON.parse(json);
}

function payloadKey(appSecret: string) {
  return derivedSealingKey(appSecret, "outbox-payloads/v1");
}

function boundTo(id: string) {
  return `outbox-event:${id}`;
}
