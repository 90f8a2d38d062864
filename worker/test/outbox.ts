import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import { type AppContext, backgroundContext } from "../src/context";
import worker from "../src/index";
import type { OutboxMessage } from "../src/outbox/enqueue";

// Driving the outbox the way the platform does: the Worker's own `queue` and `scheduled`
// handlers, over the real local D1 and Queue, with some bindings swapped where a test needs
// a refusing mail provider or a Queue that is down.

/** Bindings for the http mail transport against the loopback provider; a wrong key makes it answer 401. */
export function mailProvider(apiKey = "test-mail-key"): Partial<Env> {
  return { EMAIL_TRANSPORT: "http", EMAIL_HTTP_URL: `${inject("mailProviderUrl")}/emails`, EMAIL_API_KEY: apiKey };
}

/** What the loopback mail provider accepted for `address`. */
export async function providerAccepted(address: string): Promise<unknown[]> {
  const received = (await (await fetch(`${inject("mailProviderUrl")}/emails`)).json()) as {
    authorization: string;
    body: { to: string[] };
  }[];
  return received.filter((r) => r.authorization === "Bearer test-mail-key" && r.body.to.includes(address));
}

/** A Queue binding that refuses every send, as when the platform's Queue is unavailable. */
export const downQueue = {
  send: () => Promise.reject(new Error("queue unavailable")),
  sendBatch: () => Promise.reject(new Error("queue unavailable")),
} as unknown as Queue;

/**
 * A Queue binding that records the events handed to it and forwards them to the real Queue,
 * or, with `forward: false`, keeps them (the test then calls the consumer itself).
 */
export function recordingQueue({ forward = true } = {}): { queue: Queue; sentIds: string[] } {
  const sentIds: string[] = [];
  const queue = {
    send: async (body: OutboxMessage) => {
      sentIds.push(...body.eventIds);
      if (forward) await env.OUTBOX.send(body);
    },
    sendBatch: async (messages: { body: OutboxMessage }[]) => {
      for (const m of messages) sentIds.push(...m.body.eventIds);
      if (forward) await env.OUTBOX.sendBatch(messages);
    },
  } as unknown as Queue;
  return { queue, sentIds };
}

/**
 * A context for calling services and outbox functions directly, over `env` with `bindings`
 * swapped (a Queue that is down or loses messages is a Worker that stopped after its commit).
 * `settle()` waits for what it was given to waitUntil.
 */
export function testContext(bindings: Partial<Env> = {}, clock?: () => number): { ctx: AppContext; settle(): Promise<void> } {
  const pending: Promise<unknown>[] = [];
  const ctx = backgroundContext({ ...env, ...bindings } as Env, { waitUntil: (p) => pending.push(p) });
  if (clock) ctx.now = clock;
  return {
    ctx,
    async settle() {
      await Promise.all(pending);
    },
  };
}

/** One run of the Worker's Cron Trigger. */
export async function runCron(bindings: Partial<Env> = {}): Promise<void> {
  const execution = createExecutionContext();
  await worker.scheduled!(createScheduledController({ cron: "* * * * *" }), { ...env, ...bindings } as Env, execution);
  await waitOnExecutionContext(execution);
}

/** The Worker's Queue consumer given one message naming `eventIds`; returns what it acked. */
export async function consume(eventIds: string[], bindings: Partial<Env> = {}): Promise<{ acked: boolean }> {
  const batch = createMessageBatch<OutboxMessage>("laurel-outbox", [
    { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: { eventIds } },
  ]);
  const execution = createExecutionContext();
  await worker.queue!(batch, { ...env, ...bindings } as Env, execution);
  const result = await getQueueResult(batch, execution);
  return { acked: result.ackAll || result.explicitAcks.length === 1 };
}

export interface StoredEvent {
  id: string;
  kind: string;
  key: string | null;
  payload: string;
  sealed: number;
  status: "pending" | "done" | "failed";
  createdAt: number;
  availableAt: number;
  queuedAt: number | null;
  claimedUntil: number | null;
  attempts: number;
  lastError: string | null;
  finishedAt: number | null;
}

export async function outboxRow(id: string): Promise<StoredEvent | null> {
  return env.DB.prepare(
    `select id, kind, key, payload, sealed, status, created_at as createdAt, available_at as availableAt, queued_at as queuedAt,
       claimed_until as claimedUntil, attempts, last_error as lastError, finished_at as finishedAt from outbox_events where id = ?`,
  )
    .bind(id)
    .first<StoredEvent>();
}

/** As if the retry's backoff had passed: the event is due now. */
export async function makeDue(id: string): Promise<void> {
  await env.DB.prepare("update outbox_events set available_at = ? where id = ?")
    .bind(Date.now() - 1, id)
    .run();
}
