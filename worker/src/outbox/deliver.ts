import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../database";
import { reportError } from "../http/report-error";
import { HOUR, MINUTE } from "../lib/time";
import type { OutboxMessage } from "./enqueue";
import { openPayload } from "./intents";
import { type OutboxEventRow, outboxEvents } from "./outbox.table";

export interface OutboxEvent {
  id: string;
  kind: string;
  key: string | null;
  payload: unknown;
  /** 1 on the first try. */
  attempts: number;
  createdAt: Date;
}

/**
 * Does one kind's work. Deliveries are at least once (a Worker can stop between the work and
 * marking it done), so a handler skips what it already did, by its own marker where it has one
 * (an award's `notified_at`). Throwing retries the event later.
 */
export type OutboxHandler<C> = (ctx: C, event: OutboxEvent) => Promise<void>;

/**
 * The handlers of each kind, run in order; the event is done when all succeeded, and retried
 * as a whole otherwise. A subscriber that needs its own retries (a webhook per endpoint) writes
 * its own events from its handler.
 */
export type OutboxHandlers<C> = Readonly<Record<string, readonly OutboxHandler<C>[]>>;

export interface DeliverDeps {
  db: Db;
  config: { appSecret: string };
  now(): number;
}

/** Tries before an event is marked failed: about two hours of backoff. */
export const MAX_ATTEMPTS = 8;
/** How long a consumer holds the events of one message; longer than 25 emails take. */
export const WORK_LEASE_MS = 10 * MINUTE;

/** 1, 2, 4 … minutes after each failed try, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(HOUR, MINUTE * 2 ** Math.max(0, attempts - 1));
}

/** The Queue consumer. A message whose events could not even be claimed is retried by the Queue. */
export async function deliverOutboxBatch<C extends DeliverDeps>(
  ctx: C,
  handlers: OutboxHandlers<C>,
  batch: MessageBatch<OutboxMessage>,
): Promise<void> {
  for (const message of batch.messages) {
    try {
      await deliverEvents(ctx, handlers, message.body.eventIds ?? []);
      message.ack();
    } catch (error) {
      reportError(error, `outbox message ${message.id}`);
      message.retry();
    }
  }
}

/**
 * Claims the events that are due, pending and not held by another consumer (one conditional
 * UPDATE: a duplicate message or a second consumer gets none of them), then works each.
 */
export async function deliverEvents<C extends DeliverDeps>(ctx: C, handlers: OutboxHandlers<C>, eventIds: string[]): Promise<void> {
  for (let i = 0; i < eventIds.length; i += 50) {
    const now = ctx.now();
    const claimed = await ctx.db
      .update(outboxEvents)
      .set({ claimedUntil: new Date(now + WORK_LEASE_MS), attempts: sql`${outboxEvents.attempts} + 1` })
      .where(
        and(
          inArray(outboxEvents.id, eventIds.slice(i, i + 50)),
          eq(outboxEvents.status, "pending"),
          sql`${outboxEvents.availableAt} <= ${now}`,
          or(isNull(outboxEvents.claimedUntil), sql`${outboxEvents.claimedUntil} <= ${now}`),
        ),
      )
      .returning();
    for (const event of claimed) await deliverOne(ctx, handlers, event);
  }
}

async function deliverOne<C extends DeliverDeps>(ctx: C, handlers: OutboxHandlers<C>, event: OutboxEventRow): Promise<void> {
  if (event.attempts > MAX_ATTEMPTS) {
    // Claimed this often without an outcome: the work itself keeps stopping the Worker.
    reportError(new Error(`${event.kind} ${event.id} never finished`), `outbox: gave up after ${MAX_ATTEMPTS} tries`);
    await finish(ctx, event, "failed", `gave up after ${MAX_ATTEMPTS} tries; the last ones never finished`);
    return;
  }
  try {
    const kindHandlers = handlers[event.kind];
    if (!kindHandlers?.length) throw new Error(`no handler for outbox events of kind "${event.kind}"`);
    const payload = await openPayload(ctx.config.appSecret, event);
    const view: OutboxEvent = {
      id: event.id,
      kind: event.kind,
      key: event.key,
      payload,
      attempts: event.attempts,
      createdAt: event.createdAt,
    };
    for (const handler of kindHandlers) await handler(ctx, view);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (event.attempts >= MAX_ATTEMPTS) {
      reportError(error, `outbox ${event.kind} ${event.id}: failed for good after ${event.attempts} tries`);
      await finish(ctx, event, "failed", message);
    } else {
      reportError(error, `outbox ${event.kind} ${event.id}, try ${event.attempts}`);
      await ctx.db
        .update(outboxEvents)
        .set({
          availableAt: new Date(ctx.now() + retryDelayMs(event.attempts)),
          // The cron hands it over again once it is due.
          queuedAt: null,
          claimedUntil: null,
          lastError: message.slice(0, 1000),
        })
        .where(and(eq(outboxEvents.id, event.id), eq(outboxEvents.status, "pending")));
    }
    return;
  }
  await finish(ctx, event, "done", null);
}

async function finish(ctx: DeliverDeps, event: OutboxEventRow, status: "done" | "failed", error: string | null) {
  await ctx.db
    .update(outboxEvents)
    .set({
      status,
      finishedAt: new Date(ctx.now()),
      claimedUntil: null,
      lastError: error?.slice(0, 1000) ?? null,
      // A sealed payload may carry a code: it is not kept once it cannot be sent any more.
      ...(event.sealed ? { payload: "" } : {}),
    })
    .where(and(eq(outboxEvents.id, event.id), eq(outboxEvents.status, "pending")));
}
