import { IssuerType, issuerOnly } from "../badges/issuer.graphql";
import { builder } from "../graphql/builder";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { type DeliveryView, recentDeliveries, redeliverWebhook, sendTestWebhook } from "./deliveries.service";
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  rotateWebhookSecret,
  setWebhookEndpointEnabled,
  updateWebhookEndpoint,
} from "./endpoints.service";
import { WEBHOOK_EVENT_TYPES } from "./event-types";
import type { WebhookAttempt, WebhookEndpoint } from "./webhooks.table";

// Webhook endpoints are managed by the issuer's owners, from the console or with a token
// holding `webhooks:write` for that issuer (docs/decisions/026-webhooks.md).

const WebhookEndpointStatus = builder.enumType("WebhookEndpointStatus", { values: ["ENABLED", "DISABLED"] as const });
const WebhookDeliveryStatus = builder.enumType("WebhookDeliveryStatus", { values: ["PENDING", "SUCCEEDED", "FAILED"] as const });

const WebhookAttemptType = builder.objectRef<WebhookAttempt>("WebhookAttempt").implement({
  description: "One POST of a delivery and what the receiver answered.",
  fields: (t) => ({
    id: t.exposeID("id"),
    attemptedAt: t.field({ type: "DateTime", resolve: (a) => a.attemptedAt }),
    statusCode: t.exposeInt("statusCode", { nullable: true, description: "Null when no answer came (see error)." }),
    latencyMs: t.exposeInt("latencyMs"),
    responseExcerpt: t.exposeString("responseExcerpt", { nullable: true, description: "The first kilobyte of the answer." }),
    error: t.exposeString("error", { nullable: true }),
  }),
});

const WebhookDeliveryType = builder.objectRef<DeliveryView>("WebhookDelivery").implement({
  description: "One event for one endpoint. Its id is the `webhook-id` header, the same on every attempt.",
  fields: (t) => ({
    id: t.exposeID("id"),
    eventType: t.exposeString("eventType"),
    status: t.field({ type: WebhookDeliveryStatus, resolve: (d) => d.status.toUpperCase() as "PENDING" | "SUCCEEDED" | "FAILED" }),
    attempts: t.exposeInt("attempts", { description: "Attempts since it was made or last redelivered." }),
    nextAttemptAt: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (d) => (d.status === "pending" ? d.nextAttemptAt : null),
    }),
    payload: t.exposeString("body", { description: "The JSON body, exactly as it is POSTed." }),
    createdAt: t.field({ type: "DateTime", resolve: (d) => d.createdAt }),
    log: t.field({ type: [WebhookAttemptType], description: "Newest first.", resolve: (d) => d.log }),
  }),
});

export const WebhookEndpointType = builder.objectRef<WebhookEndpoint>("WebhookEndpoint").implement({
  description: "Where Laurel POSTs an issuer's events, signed as Standard Webhooks says.",
  fields: (t) => ({
    id: t.exposeID("id"),
    url: t.exposeString("url"),
    description: t.exposeString("description"),
    events: t.exposeStringList("events"),
    status: t.field({ type: WebhookEndpointStatus, resolve: (e) => (e.status === "enabled" ? "ENABLED" : "DISABLED") }),
    disabledAt: t.field({ type: "DateTime", nullable: true, resolve: (e) => e.disabledAt }),
    disabledReason: t.exposeString("disabledReason", { nullable: true }),
    secretHint: t.exposeString("secretHint", { description: "`whsec_…` and the last four characters of the current secret." }),
    createdAt: t.field({ type: "DateTime", resolve: (e) => e.createdAt }),
    deliveries: t.field({
      type: [WebhookDeliveryType],
      description: "The latest deliveries, newest first.",
      args: { first: t.arg.int({ required: false, defaultValue: 20 }) },
      // The endpoint was reached through its issuer's owners-only field or an owner's mutation.
      resolve: (e, { first }, ctx) => recentDeliveries(ctx, e.id, first ?? 20),
    }),
  }),
});

const WebhookSecretShown = builder.objectRef<{ secret: string; endpoint: WebhookEndpoint }>("WebhookSecretShown").implement({
  fields: (t) => ({
    secret: t.exposeString("secret", {
      description: "The signing secret (whsec_…): copy it now, it is not shown again.",
    }),
    endpoint: t.field({ type: WebhookEndpointType, resolve: (s) => s.endpoint }),
  }),
});

const WebhookEndpointInput = builder.inputType("WebhookEndpointInput", {
  fields: (t) => ({
    url: t.string({ description: "An https:// address." }),
    events: t.stringList({ description: "Event types, from webhookEventTypes." }),
    description: t.string({ required: false }),
  }),
});

builder.queryFields((t) => ({
  webhookEventTypes: t.stringList({ description: "The events an endpoint can subscribe to.", resolve: () => [...WEBHOOK_EVENT_TYPES] }),
}));

builder.objectField(IssuerType, "webhookEndpoints", (t) =>
  t.withAuth({ actor: "webhooks:write" }).field({
    type: [WebhookEndpointType],
    description: "Owners only (or a token with webhooks:write).",
    ...issuerOnly("manage-integrations", "Only the issuer's owners see its webhook endpoints.", "webhooks:write"),
    resolve: (issuer, _a, ctx) => listWebhookEndpoints(ctx, ctx.user, issuer.id),
  }),
);

const errors = { types: [NotFoundError, ForbiddenError] };

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.withAuth({ actor: "webhooks:write" }).field({
    type: WebhookSecretShown,
    description: "Registers an endpoint. The answer is the only time its signing secret is shown.",
    errors,
    args: { issuerId: t.arg.id(), input: t.arg({ type: WebhookEndpointInput }) },
    resolve: (_r, { issuerId, input }, ctx) => createWebhookEndpoint(ctx, ctx.user, String(issuerId), input),
  }),
  updateWebhookEndpoint: t.withAuth({ actor: "webhooks:write" }).field({
    type: WebhookEndpointType,
    description: "Changes the address, events or description.",
    errors,
    args: { id: t.arg.id(), input: t.arg({ type: WebhookEndpointInput }) },
    resolve: (_r, { id, input }, ctx) => updateWebhookEndpoint(ctx, ctx.user, String(id), input),
  }),
  setWebhookEndpointEnabled: t.withAuth({ actor: "webhooks:write" }).field({
    type: WebhookEndpointType,
    description: "Disables delivery, or enables it again (pending deliveries then go out).",
    errors,
    args: { id: t.arg.id(), enabled: t.arg.boolean() },
    resolve: (_r, { id, enabled }, ctx) => setWebhookEndpointEnabled(ctx, ctx.user, String(id), enabled),
  }),
  rotateWebhookSecret: t.withAuth({ actor: "webhooks:write" }).field({
    type: WebhookSecretShown,
    description: "Replaces the signing secret at once; the answer is the only time the new one is shown.",
    errors,
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => rotateWebhookSecret(ctx, ctx.user, String(id)),
  }),
  deleteWebhookEndpoint: t.withAuth({ actor: "webhooks:write" }).field({
    type: WebhookEndpointType,
    description: "Removes the endpoint, its deliveries and their log.",
    errors,
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => deleteWebhookEndpoint(ctx, ctx.user, String(id)),
  }),
  redeliverWebhook: t.withAuth({ actor: "webhooks:write" }).field({
    type: WebhookDeliveryType,
    description: "Sends the delivery again now, with the same webhook-id, on a fresh retry schedule.",
    errors,
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => redeliverWebhook(ctx, ctx.user, String(id)),
  }),
  sendTestWebhook: t.withAuth({ actor: "webhooks:write" }).field({
    type: WebhookDeliveryType,
    description: "Sends a webhook.test event to the endpoint now.",
    errors,
    args: { endpointId: t.arg.id() },
    resolve: (_r, { endpointId }, ctx) => sendTestWebhook(ctx, ctx.user, String(endpointId)),
  }),
}));
