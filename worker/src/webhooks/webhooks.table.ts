import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { users } from "../accounts/accounts.table";
import { issuers } from "../badges/issuers.table";

/**
 * Where an issuer wants its events POSTed. The signing secret (Standard Webhooks `whsec_…`)
 * is sealed with the secret box, bound to the endpoint's id: Laurel must be able to sign with
 * it, so it cannot be a hash, but a copy of the database alone does not give it away.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    issuerId: text("issuer_id")
      .notNull()
      .references(() => issuers.id),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** JSON array of event types (`event-types.ts`). */
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    sealedSecret: text("sealed_secret").notNull(),
    /** `whsec_…` and the last four characters, so owners can tell which secret is current. */
    secretHint: text("secret_hint").notNull(),
    status: text("status", { enum: ["enabled", "disabled"] })
      .notNull()
      .default("enabled"),
    disabledAt: integer("disabled_at", { mode: "timestamp_ms" }),
    disabledReason: text("disabled_reason"),
    /** The first failed attempt since the last success; null while the endpoint answers. */
    failingSince: integer("failing_since", { mode: "timestamp_ms" }),
    createdByUserId: text("created_by_user_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("webhook_endpoints_issuer").on(t.issuerId, t.createdAt)],
);

/**
 * One event for one endpoint, with its own retry schedule (ADR 026). The id is the
 * Standard Webhooks `webhook-id`: the same on every attempt, so receivers can drop repeats.
 * The body is fixed when the delivery is made, so every attempt sends the same bytes.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventType: text("event_type").notNull(),
    /** What caused it (`award.created:<awardId>`): one delivery per endpoint and event. */
    eventKey: text("event_key").notNull(),
    body: text("body").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] })
      .notNull()
      .default("pending"),
    /** Attempts since it was made or last redelivered. */
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    /** Held by a sender until then, so two senders never POST the same attempt. */
    claimedUntil: integer("claimed_until", { mode: "timestamp_ms" }),
    lastAttemptAt: integer("last_attempt_at", { mode: "timestamp_ms" }),
    lastStatusCode: integer("last_status_code"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_unique").on(t.endpointId, t.eventKey),
    index("webhook_deliveries_endpoint").on(t.endpointId, t.createdAt),
    index("webhook_deliveries_due").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
  ],
);

/** Each POST of a delivery and what came back. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id")
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: integer("attempted_at", { mode: "timestamp_ms" }).notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    /** The first kilobyte of the answer, as text. */
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
  },
  (t) => [index("webhook_attempts_delivery").on(t.deliveryId, t.attemptedAt)],
);

export type WebhookEndpoint = typeof webhookEndpoints.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
