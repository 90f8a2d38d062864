import { and, desc, eq, sql } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import { auditInsert, auditInsertWhere } from "../audit/audit";
import { requireIssuerRole } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { rowExists } from "../db/conditional";
import { checkText } from "../lib/checks";
import { NotFoundError, Problems } from "../lib/errors";
import { newId } from "../lib/ids";
import { destinationProblem } from "./destinations";
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from "./event-types";
import { newSigningSecret, sealSecret, secretHint } from "./signing";
import { type WebhookEndpoint, webhookEndpoints } from "./webhooks.table";

type Ctx = Pick<AppContext, "db" | "config" | "now" | "ip" | "apiToken">;

export interface WebhookEndpointInput {
  url: string;
  events: string[];
  description?: string | null;
}

function checkInput(ctx: Ctx, input: WebhookEndpointInput) {
  const problems = new Problems();
  const url = (input.url ?? "").trim();
  const urlProblem = url.length > 2000 ? "The address can be at most 2000 characters." : destinationProblem(url, ctx.config.environment);
  if (urlProblem) problems.add("url", urlProblem);
  const events = [...new Set(input.events)];
  if (events.length === 0) problems.add("events", "Choose at least one event.");
  const wrong = events.filter((e) => !isWebhookEventType(e));
  if (wrong.length > 0) problems.add("events", `Unknown events ${wrong.join(", ")}: choose from ${WEBHOOK_EVENT_TYPES.join(", ")}.`);
  const description = checkText(problems, "description", "a description", input.description, 200, false);
  problems.throwIfAny();
  return { url: new URL(url).toString(), events, description };
}

/** The endpoint, if `user` manages its issuer's integrations (owners); NotFound otherwise, as for a stranger. */
export async function requireManagedEndpoint(ctx: Ctx, user: User, endpointId: string): Promise<WebhookEndpoint> {
  const endpoint = await ctx.db.query.webhookEndpoints.findFirst({ where: eq(webhookEndpoints.id, endpointId) });
  if (!endpoint) throw new NotFoundError("No webhook endpoint with that id.");
  await requireIssuerRole(ctx, user, endpoint.issuerId, "manage-integrations");
  return endpoint;
}

/** Registers an endpoint; its signing secret is in the answer and, in the clear, nowhere else. */
export async function createWebhookEndpoint(
  ctx: Ctx,
  user: User,
  issuerId: string,
  input: WebhookEndpointInput,
): Promise<{ secret: string; endpoint: WebhookEndpoint }> {
  const clean = checkInput(ctx, input);
  await requireIssuerRole(ctx, user, issuerId, "manage-integrations");
  const now = ctx.now();
  const id = newId();
  const secret = newSigningSecret();
  const row: WebhookEndpoint = {
    id,
    issuerId,
    ...clean,
    sealedSecret: await sealSecret(ctx.config.appSecret, secret, id),
    secretHint: secretHint(secret),
    status: "enabled",
    disabledAt: null,
    disabledReason: null,
    failingSince: null,
    createdByUserId: user.id,
    createdAt: new Date(now),
    updatedAt: new Date(now),
  };
  await ctx.db.batch([
    ctx.db.insert(webhookEndpoints).values(row),
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "webhook-endpoint.created",
        subjectType: "issuer",
        subjectId: issuerId,
        data: { endpointId: id, url: clean.url, events: clean.events },
        ip: ctx.ip,
      },
      now,
    ),
  ]);
  return { secret, endpoint: row };
}

export async function listWebhookEndpoints(ctx: Ctx, user: User, issuerId: string): Promise<WebhookEndpoint[]> {
  await requireIssuerRole(ctx, user, issuerId, "manage-integrations");
  return ctx.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.issuerId, issuerId))
    .orderBy(desc(webhookEndpoints.createdAt))
    .all();
}

export async function updateWebhookEndpoint(
  ctx: Ctx,
  user: User,
  endpointId: string,
  input: WebhookEndpointInput,
): Promise<WebhookEndpoint> {
  const clean = checkInput(ctx, input);
  const endpoint = await requireManagedEndpoint(ctx, user, endpointId);
  const now = ctx.now();
  const [, updated] = await ctx.db.batch([
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "webhook-endpoint.updated",
        subjectType: "issuer",
        subjectId: endpoint.issuerId,
        data: { endpointId, url: clean.url, events: clean.events },
        ip: ctx.ip,
      },
      now,
    ),
    ctx.db
      .update(webhookEndpoints)
      .set({ ...clean, updatedAt: new Date(now) })
      .where(eq(webhookEndpoints.id, endpointId))
      .returning(),
  ]);
  if (!updated[0]) throw new NotFoundError("No webhook endpoint with that id.");
  return updated[0];
}

/**
 * Turns delivery on or off. Enabling forgets the failures that disabled it; deliveries still
 * pending then go out when due. Doing it twice changes and audits it once.
 */
export async function setWebhookEndpointEnabled(ctx: Ctx, user: User, endpointId: string, enabled: boolean): Promise<WebhookEndpoint> {
  const endpoint = await requireManagedEndpoint(ctx, user, endpointId);
  const now = ctx.now();
  const guard = and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.status, enabled ? "disabled" : "enabled"));
  const [, updated] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: user.id,
        action: enabled ? "webhook-endpoint.enabled" : "webhook-endpoint.disabled",
        subjectType: "issuer",
        subjectId: endpoint.issuerId,
        data: { endpointId },
        ip: ctx.ip,
      },
      now,
      rowExists(ctx.db, webhookEndpoints, guard),
    ),
    ctx.db
      .update(webhookEndpoints)
      .set(
        enabled
          ? { status: "enabled", disabledAt: null, disabledReason: null, failingSince: null, updatedAt: new Date(now) }
          : { status: "disabled", disabledAt: new Date(now), disabledReason: "Disabled by an owner.", updatedAt: new Date(now) },
      )
      .where(guard)
      .returning(),
  ]);
  return updated[0] ?? (await requireManagedEndpoint(ctx, user, endpointId));
}

/** A new secret replaces the old one at once; the answer is the only time it is shown. */
export async function rotateWebhookSecret(
  ctx: Ctx,
  user: User,
  endpointId: string,
): Promise<{ secret: string; endpoint: WebhookEndpoint }> {
  const endpoint = await requireManagedEndpoint(ctx, user, endpointId);
  const now = ctx.now();
  const secret = newSigningSecret();
  const [, updated] = await ctx.db.batch([
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "webhook-endpoint.secret-rotated",
        subjectType: "issuer",
        subjectId: endpoint.issuerId,
        data: { endpointId },
        ip: ctx.ip,
      },
      now,
    ),
    ctx.db
      .update(webhookEndpoints)
      .set({
        sealedSecret: await sealSecret(ctx.config.appSecret, secret, endpointId),
        secretHint: secretHint(secret),
        updatedAt: new Date(now),
      })
      .where(eq(webhookEndpoints.id, endpointId))
      .returning(),
  ]);
  if (!updated[0]) throw new NotFoundError("No webhook endpoint with that id.");
  return { secret, endpoint: updated[0] };
}

/** Removes the endpoint with its deliveries and their log. */
export async function deleteWebhookEndpoint(ctx: Ctx, user: User, endpointId: string): Promise<WebhookEndpoint> {
  const endpoint = await requireManagedEndpoint(ctx, user, endpointId);
  const now = ctx.now();
  await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: user.id,
        action: "webhook-endpoint.deleted",
        subjectType: "issuer",
        subjectId: endpoint.issuerId,
        data: { endpointId, url: endpoint.url },
        ip: ctx.ip,
      },
      now,
      sql`exists (select 1 from ${webhookEndpoints} where ${webhookEndpoints.id} = ${endpointId})`,
    ),
    ctx.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)),
  ]);
  return endpoint;
}
