import { and, desc, eq, inArray, isNull, lt, lte, ne, or, type SQL, sql } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import { rowExists } from "../db/conditional";
import { reportError } from "../http/report-error";
import { randomToken } from "../lib/crypto";
import { NotFoundError } from "../lib/errors";
import { newId } from "../lib/ids";
import { DAY, HOUR, MINUTE, SECOND } from "../lib/time";
import type { OutboxEvent } from "../outbox/deliver";
import { afterCommit } from "../outbox/enqueue";
import { outboxInsert } from "../outbox/intents";
import { destinationProblem } from "./destinations";
import { requireManagedEndpoint } from "./endpoints.service";
import { TEST_EVENT_TYPE, type WebhookEventType } from "./event-types";
import { openSecret, signedHeaders } from "./signing";
import {
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookEndpoint,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
} from "./webhooks.table";

// Deliveries have their own schedule, not the outbox's (which gives up after ~2 hours): each
// is a row with `next_attempt_at`, sent at once when made and then by the Cron Trigger when
// due (docs/decisions/026-webhooks.md).

type Ctx = Pick<AppContext, "db" | "config" | "env" | "now" | "waitUntil" | "ip" | "apiToken">;

/** Outbox kind: attempt these deliveries now (a test event, a redelivery). */
export const WEBHOOK_DELIVER = "webhook.deliver";
/** Outbox kind: tell the issuer's owners that this endpoint was disabled. */
export const WEBHOOK_ENDPOINT_DISABLED = "webhook.endpoint-disabled";

/** The wait after each failed attempt; after the last one the delivery has failed (~27.6 h after the first). */
export const RETRY_DELAYS_MS = [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** An endpoint whose every attempt failed for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = DAY;
export const ATTEMPT_TIMEOUT_MS = 10 * SECOND;
/** Longer than an attempt can take, so a claim outlives its POST. */
const CLAIM_MS = MINUTE;
const EXCERPT_BYTES = 1024;
const PER_CRON_RUN = 200;
const AT_ONCE = 10;
const KEEP_FINISHED_MS = 30 * DAY;

export interface WebhookEvent {
  issuerId: string;
  type: WebhookEventType;
  /** What happened, once: `award.created:<awardId>`. Fan-out twice makes no second delivery. */
  key: string;
  occurredAt: Date;
  data: Record<string, unknown>;
}

const deliveryId = () => `msg_${randomToken(16)}`;
const bodyOf = (type: string, occurredAt: Date, data: Record<string, unknown>) =>
  JSON.stringify({ type, timestamp: occurredAt.toISOString(), data });

/**
 * One delivery per enabled endpoint of the issuer that subscribes to the event, then a first
 * attempt of each. Called from outbox handlers, so it runs at least once: the unique
 * (endpoint, event) index keeps a repeat from delivering twice.
 */
export async function fanOut(ctx: Ctx, event: WebhookEvent): Promise<void> {
  const endpoints = await ctx.db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.issuerId, event.issuerId),
        eq(webhookEndpoints.status, "enabled"),
        sql`exists (select 1 from json_each(${webhookEndpoints.events}) where value = ${event.type})`,
      ),
    )
    .all();
  const [first, ...rest] = endpoints;
  if (!first) return;
  const now = ctx.now();
  const body = bodyOf(event.type, event.occurredAt, event.data);
  const insert = (endpointId: string) =>
    ctx.db
      .insert(webhookDeliveries)
      .values({
        id: deliveryId(),
        endpointId,
        eventType: event.type,
        eventKey: event.key,
        body,
        nextAttemptAt: new Date(now),
        createdAt: new Date(now),
      })
      .onConflictDoNothing();
  await ctx.db.batch([insert(first.id), ...rest.map((e) => insert(e.id))]);
  await sendDue(ctx, eq(webhookDeliveries.eventKey, event.key), endpoints.length);
}

/** The Cron Trigger's part: every delivery that is due, then old finished ones pruned. */
export async function sendDueWebhooks(ctx: Ctx): Promise<number> {
  const sent = await sendDue(ctx, undefined, PER_CRON_RUN);
  await ctx.db.delete(webhookDeliveries).where(
    inArray(
      webhookDeliveries.id,
      ctx.db
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(and(ne(webhookDeliveries.status, "pending"), lt(webhookDeliveries.createdAt, new Date(ctx.now() - KEEP_FINISHED_MS))))
        .limit(1000),
    ),
  );
  return sent;
}

/** The handler of `webhook.deliver`: a failed attempt is the delivery's to retry, not the outbox's. */
export async function deliverWebhookEvent(ctx: Ctx, event: OutboxEvent): Promise<void> {
  const ids = (event.payload as { deliveryIds?: string[] } | null)?.deliveryIds ?? [];
  if (ids.length > 0) await sendDue(ctx, inArray(webhookDeliveries.id, ids), ids.length);
}

/**
 * Claims the due deliveries `where` picks (one conditional UPDATE that also counts the
 * attempt: of two senders each delivery goes to one) and POSTs them, a few at a time.
 */
async function sendDue(ctx: Ctx, where: SQL | undefined, limit: number): Promise<number> {
  const now = ctx.now();
  const due = and(
    eq(webhookDeliveries.status, "pending"),
    lte(webhookDeliveries.nextAttemptAt, new Date(now)),
    or(isNull(webhookDeliveries.claimedUntil), lte(webhookDeliveries.claimedUntil, new Date(now))),
    sql`${webhookDeliveries.endpointId} in (select id from webhook_endpoints where status = 'enabled')`,
  );
  const claimed = await ctx.db
    .update(webhookDeliveries)
    .set({ claimedUntil: new Date(now + CLAIM_MS), attempts: sql`${webhookDeliveries.attempts} + 1` })
    .where(
      and(
        inArray(
          webhookDeliveries.id,
          ctx.db
            .select({ id: webhookDeliveries.id })
            .from(webhookDeliveries)
            .where(and(where, due))
            .orderBy(webhookDeliveries.nextAttemptAt)
            .limit(limit),
        ),
        due,
      ),
    )
    .returning();
  if (claimed.length === 0) return 0;
  const endpoints = new Map(
    (
      await ctx.db
        .select()
        .from(webhookEndpoints)
        .where(inArray(webhookEndpoints.id, [...new Set(claimed.map((d) => d.endpointId))]))
        .all()
    ).map((e) => [e.id, e]),
  );
  for (let i = 0; i < claimed.length; i += AT_ONCE) {
    await Promise.all(
      claimed.slice(i, i + AT_ONCE).map(async (delivery) => {
        const endpoint = endpoints.get(delivery.endpointId);
        if (!endpoint) return; // Deleted meanwhile, with its deliveries.
        try {
          await record(ctx, delivery, endpoint, await post(ctx, delivery, endpoint));
        } catch (error) {
          // The claim lapses and the cron tries again; the attempt was counted.
          reportError(error, `webhook delivery ${delivery.id}`);
        }
      }),
    );
  }
  return claimed.length;
}

interface Outcome {
  statusCode: number | null;
  latencyMs: number;
  excerpt: string | null;
  error: string | null;
}

async function post(ctx: Ctx, delivery: WebhookDelivery, endpoint: WebhookEndpoint): Promise<Outcome> {
  const refused = destinationProblem(endpoint.url, ctx.config.environment);
  if (refused) return { statusCode: null, latencyMs: 0, excerpt: null, error: refused };
  const secret = await openSecret(ctx.config.appSecret, endpoint.sealedSecret, endpoint.id);
  const headers = await signedHeaders(secret, delivery.id, Math.floor(ctx.now() / 1000), delivery.body);
  const started = Date.now();
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json", "user-agent": "Laurel-Webhooks/1" },
      body: delivery.body,
      // A redirect is an answer, not an address to go to: following it could reach anywhere.
      redirect: "manual",
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    const excerpt = await readExcerpt(response);
    return { statusCode: response.status, latencyMs: Date.now() - started, excerpt, error: null };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    return {
      statusCode: null,
      latencyMs: Date.now() - started,
      excerpt: null,
      error: timedOut ? `No answer within ${ATTEMPT_TIMEOUT_MS / SECOND} seconds.` : error instanceof Error ? error.message : String(error),
    };
  }
}

async function readExcerpt(response: Response): Promise<string | null> {
  if (!response.body) return null;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < EXCERPT_BYTES) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => undefined);
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return new TextDecoder().decode(bytes.subarray(0, EXCERPT_BYTES));
}

/**
 * Logs the attempt and moves the delivery on, in one batch: done, due again after its
 * backoff, or failed after the last try. A failure starts (or continues) the endpoint's
 * failing streak; a streak of DISABLE_AFTER_FAILING_MS disables it and queues the owners' email.
 */
async function record(ctx: Ctx, delivery: WebhookDelivery, endpoint: WebhookEndpoint, outcome: Outcome): Promise<void> {
  const now = ctx.now();
  const ok = outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
  const last = delivery.attempts >= MAX_ATTEMPTS;
  // Only while this sender still holds the delivery: a redelivery meanwhile starts afresh.
  const held = and(
    eq(webhookDeliveries.id, delivery.id),
    eq(webhookDeliveries.attempts, delivery.attempts),
    eq(webhookDeliveries.claimedUntil, delivery.claimedUntil!),
  );
  const log = ctx.db.insert(webhookAttempts).values({
    id: newId(),
    deliveryId: delivery.id,
    attemptedAt: new Date(now),
    statusCode: outcome.statusCode,
    latencyMs: outcome.latencyMs,
    responseExcerpt: outcome.excerpt,
    error: outcome.error?.slice(0, 1000) ?? null,
  });
  const move = ctx.db
    .update(webhookDeliveries)
    .set({
      status: ok ? "succeeded" : last ? "failed" : "pending",
      nextAttemptAt: ok || last ? new Date(now) : new Date(now + RETRY_DELAYS_MS[delivery.attempts - 1]!),
      claimedUntil: null,
      lastAttemptAt: new Date(now),
      lastStatusCode: outcome.statusCode,
    })
    .where(held);
  if (ok) {
    await ctx.db.batch([
      log,
      move,
      ctx.db.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, endpoint.id)),
    ]);
    return;
  }
  const disabledNow = and(
    eq(webhookEndpoints.id, endpoint.id),
    eq(webhookEndpoints.status, "disabled"),
    eq(webhookEndpoints.disabledAt, new Date(now)),
  );
  const notice = outboxInsert(
    ctx.db,
    { kind: WEBHOOK_ENDPOINT_DISABLED, key: `${WEBHOOK_ENDPOINT_DISABLED}:${endpoint.id}:${now}`, payload: { endpointId: endpoint.id } },
    now,
    rowExists(ctx.db, webhookEndpoints, disabledNow),
  );
  await ctx.db.batch([
    log,
    move,
    ctx.db
      .update(webhookEndpoints)
      .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now})` })
      .where(eq(webhookEndpoints.id, endpoint.id)),
    ctx.db
      .update(webhookEndpoints)
      .set({
        status: "disabled",
        disabledAt: new Date(now),
        disabledReason: `Every delivery attempt failed for ${DISABLE_AFTER_FAILING_MS / HOUR} hours.`,
        updatedAt: new Date(now),
      })
      .where(
        and(
          eq(webhookEndpoints.id, endpoint.id),
          eq(webhookEndpoints.status, "enabled"),
          lte(webhookEndpoints.failingSince, new Date(now - DISABLE_AFTER_FAILING_MS)),
        ),
      ),
    notice.statement,
  ]);
  afterCommit(ctx, [notice.id]);
}

/** A delivery with its attempts, newest first. */
export type DeliveryView = WebhookDelivery & { log: WebhookAttempt[] };

async function withLogs(ctx: Pick<AppContext, "db">, deliveries: WebhookDelivery[]): Promise<DeliveryView[]> {
  if (deliveries.length === 0) return [];
  const attempts = await ctx.db
    .select()
    .from(webhookAttempts)
    .where(
      inArray(
        webhookAttempts.deliveryId,
        deliveries.map((d) => d.id),
      ),
    )
    .orderBy(desc(webhookAttempts.attemptedAt))
    .all();
  return deliveries.map((d) => ({ ...d, log: attempts.filter((a) => a.deliveryId === d.id) }));
}

/** The endpoint's latest deliveries (the caller checked the endpoint is theirs to see). */
export async function recentDeliveries(ctx: Pick<AppContext, "db">, endpointId: string, limit = 20): Promise<DeliveryView[]> {
  const deliveries = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(Math.min(Math.max(limit, 1), 100))
    .all();
  return withLogs(ctx, deliveries);
}

const kickOf = (ctx: Ctx, deliveryIds: string[], now: number) =>
  outboxInsert(ctx.db, { kind: WEBHOOK_DELIVER, payload: { deliveryIds } }, now);

/** Sends the same event again, with the same `webhook-id`, on a fresh schedule. */
export async function redeliverWebhook(ctx: Ctx, user: User, id: string): Promise<DeliveryView> {
  const delivery = await ctx.db.query.webhookDeliveries.findFirst({ where: eq(webhookDeliveries.id, id) });
  if (!delivery) throw new NotFoundError("No webhook delivery with that id.");
  await requireManagedEndpoint(ctx, user, delivery.endpointId);
  const now = ctx.now();
  const kick = kickOf(ctx, [id], now);
  await ctx.db.batch([
    ctx.db
      .update(webhookDeliveries)
      .set({ status: "pending", attempts: 0, nextAttemptAt: new Date(now), claimedUntil: null })
      .where(eq(webhookDeliveries.id, id)),
    kick.statement,
  ]);
  afterCommit(ctx, [kick.id]);
  const [view] = await withLogs(ctx, [(await ctx.db.query.webhookDeliveries.findFirst({ where: eq(webhookDeliveries.id, id) }))!]);
  return view!;
}

/** A `webhook.test` event to this endpoint, whatever it subscribes to, so owners can try their receiver. */
export async function sendTestWebhook(ctx: Ctx, user: User, endpointId: string): Promise<DeliveryView> {
  const endpoint = await requireManagedEndpoint(ctx, user, endpointId);
  const now = ctx.now();
  const row = {
    id: deliveryId(),
    endpointId,
    eventType: TEST_EVENT_TYPE,
    eventKey: `${TEST_EVENT_TYPE}:${newId()}`,
    body: bodyOf(TEST_EVENT_TYPE, new Date(now), { endpointId, issuerId: endpoint.issuerId, message: "A test event from Laurel." }),
    status: "pending" as const,
    nextAttemptAt: new Date(now),
    createdAt: new Date(now),
  };
  const kick = kickOf(ctx, [row.id], now);
  await ctx.db.batch([ctx.db.insert(webhookDeliveries).values(row), kick.statement]);
  afterCommit(ctx, [kick.id]);
  return { ...row, attempts: 0, claimedUntil: null, lastAttemptAt: null, lastStatusCode: null, log: [] };
}
