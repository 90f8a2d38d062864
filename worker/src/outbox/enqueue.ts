import { and, eq, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../database";
import { inBackground } from "../http/background";
import { DAY, MINUTE } from "../lib/time";
import { outboxEvents } from "./outbox.table";

/** A Queue message names events; the consumer reads them from D1, the one truth about them. */
export interface OutboxMessage {
  eventIds: string[];
}

export interface OutboxDeps {
  db: Db;
  env: { OUTBOX: Queue<OutboxMessage> };
  now(): number;
}

/** Handed to the Queue and neither claimed nor done after this long: the message is presumed lost. */
export const QUEUE_LEASE_MS = 15 * MINUTE;
const EVENTS_PER_MESSAGE = 25;
/** sendBatch takes at most 100 messages. */
const MESSAGES_PER_SEND = 100;
/** Ids per claiming statement: its JSON parameter stays well under D1's limits. */
const IDS_PER_CLAIM = 500;
/** A cron run hands over at most this many events; the next minute takes the rest. */
const CRON_ROUNDS = 20;
const KEEP_DONE_MS = 7 * DAY;
const KEEP_FAILED_MS = 30 * DAY;

/**
 * The fast path, right after the batch that wrote the events committed: hand them to the
 * Queue in the background. It can fail (the Worker may even stop first) without failing the
 * request; the cron then hands them over.
 */
export function afterCommit(ctx: OutboxDeps & { waitUntil(promise: Promise<unknown>): void }, eventIds: string[]): void {
  if (eventIds.length === 0) return;
  inBackground(ctx, "outbox: handing events to the queue", () => enqueueEvents(ctx, eventIds));
}

async function enqueueEvents(ctx: OutboxDeps, eventIds: string[]): Promise<void> {
  const now = ctx.now();
  const claims = [];
  for (let i = 0; i < eventIds.length; i += IDS_PER_CLAIM) {
    // Only events nobody queued yet: the cron may have been quicker.
    claims.push(
      ctx.db
        .update(outboxEvents)
        .set({ queuedAt: new Date(now) })
        .where(
          and(
            sql`${outboxEvents.id} in (select value from json_each(${JSON.stringify(eventIds.slice(i, i + IDS_PER_CLAIM))}))`,
            eq(outboxEvents.status, "pending"),
            isNull(outboxEvents.queuedAt),
          ),
        )
        .returning({ id: outboxEvents.id }),
    );
  }
  const [first, ...rest] = claims;
  if (!first) return;
  const claimed = (await ctx.db.batch([first, ...rest])).flat().map((r) => r.id);
  await send(ctx, claimed, now);
}

/**
 * The slow path, every minute: hands over every due event that is not queued, or that was
 * queued long ago and is neither done nor being worked on. The claim is one conditional
 * UPDATE, so of two overlapping runs each event goes to exactly one.
 */
export async function enqueueDueEvents(ctx: OutboxDeps): Promise<number> {
  let total = 0;
  for (let round = 0; round < CRON_ROUNDS; round++) {
    const now = ctx.now();
    const due = and(
      eq(outboxEvents.status, "pending"),
      sql`${outboxEvents.availableAt} <= ${now}`,
      or(isNull(outboxEvents.queuedAt), lt(outboxEvents.queuedAt, new Date(now - QUEUE_LEASE_MS))),
      or(isNull(outboxEvents.claimedUntil), sql`${outboxEvents.claimedUntil} <= ${now}`),
    );
    const claimed = await ctx.db
      .update(outboxEvents)
      .set({ queuedAt: new Date(now) })
      .where(
        and(
          inArray(
            outboxEvents.id,
            ctx.db.select({ id: outboxEvents.id }).from(outboxEvents).where(due).orderBy(outboxEvents.availableAt).limit(IDS_PER_CLAIM),
          ),
          due,
        ),
      )
      .returning({ id: outboxEvents.id });
    await send(
      ctx,
      claimed.map((r) => r.id),
      now,
    );
    total += claimed.length;
    if (claimed.length < IDS_PER_CLAIM) break;
  }
  return total;
}

/** Sends claimed events; if the Queue refuses, gives them back so the next cron run takes them at once. */
async function send(ctx: OutboxDeps, eventIds: string[], claimedAt: number): Promise<void> {
  const messages: { body: OutboxMessage }[] = [];
  for (let i = 0; i < eventIds.length; i += EVENTS_PER_MESSAGE) {
    messages.push({ body: { eventIds: eventIds.slice(i, i + EVENTS_PER_MESSAGE) } });
  }
  let sent = 0;
  try {
    for (; sent < messages.length; sent += MESSAGES_PER_SEND) {
      await ctx.env.OUTBOX.sendBatch(messages.slice(sent, sent + MESSAGES_PER_SEND));
    }
  } catch (error) {
    const unsent = eventIds.slice(sent * EVENTS_PER_MESSAGE);
    for (let i = 0; i < unsent.length; i += IDS_PER_CLAIM) {
      await ctx.db
        .update(outboxEvents)
        .set({ queuedAt: null })
        .where(
          and(
            sql`${outboxEvents.id} in (select value from json_each(${JSON.stringify(unsent.slice(i, i + IDS_PER_CLAIM))}))`,
            eq(outboxEvents.queuedAt, new Date(claimedAt)),
          ),
        );
    }
    throw error;
  }
}

/** Done events are kept a week and failed ones a month, for looking into; then they go. */
export async function pruneFinishedEvents(ctx: Pick<OutboxDeps, "db" | "now">): Promise<void> {
  const now = ctx.now();
  const old = (status: "done" | "failed", keepMs: number) =>
    ctx.db.delete(outboxEvents).where(
      inArray(
        outboxEvents.id,
        ctx.db
          .select({ id: outboxEvents.id })
          .from(outboxEvents)
          .where(and(eq(outboxEvents.status, status), lt(outboxEvents.finishedAt, new Date(now - keepMs))))
          .limit(1000),
      ),
    );
  await ctx.db.batch([old("done", KEEP_DONE_MS), old("failed", KEEP_FAILED_MS)]);
}
