import { and, eq, sql } from "drizzle-orm";
import { emails } from "../accounts/accounts.table";
import type { AwardEventPayload } from "../badges/award-events";
import { awards } from "../badges/awards.table";
import type { AppContext } from "../context";
import type { OutboxEvent } from "../outbox/deliver";
import { evaluateCompletions } from "./completion.service";
import type { PathwayEvaluatePayload } from "./pathway-events";
import { pathwayRequirements, pathwaySubscriptions, pathways } from "./pathways.table";

// The outbox handlers through which pathways follow other domains' events (registered in
// index.ts, so the badges and accounts domains never import this one). Each only judges
// completions again, which is safe to repeat: at-least-once delivery costs nothing.

/** `pathway.evaluate`: after a publish, an edit or a new subscription. */
export async function evaluatePathwayEvent(ctx: AppContext, event: OutboxEvent): Promise<void> {
  const { pathwayId, userId } = (event.payload ?? {}) as Partial<PathwayEvaluatePayload>;
  if (typeof pathwayId !== "string") throw new Error(`${event.kind} event ${event.id} names no pathway`);
  await evaluateCompletions(ctx, pathwayId, typeof userId === "string" ? [userId] : undefined);
}

/**
 * `award.created`: the recipient's account (whoever has the address verified now) may have
 * completed a step or a pathway it follows that requires this badge class.
 */
export async function completePathwaysAfterAward(ctx: AppContext, event: OutboxEvent): Promise<void> {
  const { awardId } = (event.payload ?? {}) as Partial<AwardEventPayload>;
  if (typeof awardId !== "string") throw new Error(`${event.kind} event ${event.id} names no award`);
  const rows = await ctx.db
    .selectDistinct({ pathwayId: pathwaySubscriptions.pathwayId, userId: pathwaySubscriptions.userId })
    .from(awards)
    .innerJoin(emails, eq(emails.address, awards.recipientEmail))
    .innerJoin(pathwaySubscriptions, eq(pathwaySubscriptions.userId, emails.userId))
    .innerJoin(pathways, and(eq(pathways.id, pathwaySubscriptions.pathwayId), eq(pathways.state, "published")))
    .where(
      and(
        eq(awards.id, awardId),
        sql`exists (select 1 from ${pathwayRequirements} where ${pathwayRequirements.pathwayId} = ${pathways.id} and ${pathwayRequirements.badgeClassId} = ${awards.badgeClassId})`,
      ),
    )
    .all();
  for (const row of rows) await evaluateCompletions(ctx, row.pathwayId, [row.userId]);
}

/**
 * `email.verified`, `accounts.merged`: the account now holds the badges of another address;
 * every published pathway it follows is judged again.
 */
export async function completePathwaysOfAccount(ctx: AppContext, event: OutboxEvent): Promise<void> {
  const { userId } = (event.payload ?? {}) as { userId?: unknown };
  if (typeof userId !== "string") throw new Error(`${event.kind} event ${event.id} names no account`);
  const rows = await ctx.db
    .select({ pathwayId: pathwaySubscriptions.pathwayId })
    .from(pathwaySubscriptions)
    .innerJoin(pathways, and(eq(pathways.id, pathwaySubscriptions.pathwayId), eq(pathways.state, "published")))
    .where(eq(pathwaySubscriptions.userId, userId))
    .all();
  for (const row of rows) await evaluateCompletions(ctx, row.pathwayId, [userId]);
}
