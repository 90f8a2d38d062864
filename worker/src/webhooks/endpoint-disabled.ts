import { and, eq } from "drizzle-orm";
import { emails } from "../accounts/accounts.table";
import { issuerMembers, issuers } from "../badges/issuers.table";
import type { AppContext } from "../context";
import type { OutboxEvent } from "../outbox/deliver";
import { endpointDisabledEmail } from "./webhooks.emails";
import { webhookEndpoints } from "./webhooks.table";

/** The handler of `webhook.endpoint-disabled`: an email to each owner (their primary address), as they are now. */
export async function notifyEndpointDisabled(ctx: Pick<AppContext, "db" | "mailer" | "config">, event: OutboxEvent): Promise<void> {
  const { endpointId } = (event.payload ?? {}) as { endpointId?: string };
  if (typeof endpointId !== "string") throw new Error(`${event.kind} event ${event.id} names no endpoint`);
  const endpoint = await ctx.db
    .select({
      url: webhookEndpoints.url,
      status: webhookEndpoints.status,
      reason: webhookEndpoints.disabledReason,
      issuerId: issuers.id,
      issuerName: issuers.name,
    })
    .from(webhookEndpoints)
    .innerJoin(issuers, eq(issuers.id, webhookEndpoints.issuerId))
    .where(eq(webhookEndpoints.id, endpointId))
    .get();
  // Deleted or enabled again before the mail went: nothing to tell.
  if (endpoint?.status !== "disabled") return;
  const owners = await ctx.db
    .select({ address: emails.address })
    .from(issuerMembers)
    .innerJoin(emails, and(eq(emails.userId, issuerMembers.userId), eq(emails.isPrimary, true)))
    .where(and(eq(issuerMembers.issuerId, endpoint.issuerId), eq(issuerMembers.role, "owner")))
    .all();
  for (const { address } of owners) {
    await ctx.mailer.send(
      endpointDisabledEmail(address, {
        issuerName: endpoint.issuerName,
        url: endpoint.url,
        reason: endpoint.reason ?? "it kept failing.",
        consoleUrl: `${ctx.config.appUrl}/issuers/${endpoint.issuerId}`,
      }),
    );
  }
}
