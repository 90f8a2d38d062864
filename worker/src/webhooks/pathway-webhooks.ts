import { and, eq } from "drizzle-orm";
import { emails, users } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import type { OutboxEvent } from "../outbox/deliver";
import { pathwayCompletions, pathways } from "../pathways/pathways.table";
import { fanOut } from "./deliveries.service";

/** The outbox handler that turns a learner's completion of a pathway into webhook deliveries. */
export async function pathwayCompletedWebhooks(ctx: AppContext, event: OutboxEvent): Promise<void> {
  const { completionId } = (event.payload ?? {}) as { completionId?: string };
  if (typeof completionId !== "string") throw new Error(`${event.kind} event ${event.id} names no completion`);
  const row = await ctx.db
    .select({
      completion: pathwayCompletions,
      issuerId: pathways.issuerId,
      pathwayName: pathways.name,
      firstName: users.firstName,
      lastName: users.lastName,
      email: emails.address,
    })
    .from(pathwayCompletions)
    .innerJoin(pathways, eq(pathways.id, pathwayCompletions.pathwayId))
    .innerJoin(users, eq(users.id, pathwayCompletions.userId))
    .leftJoin(emails, and(eq(emails.userId, pathwayCompletions.userId), eq(emails.isPrimary, true)))
    .where(eq(pathwayCompletions.id, completionId))
    .get();
  if (!row) return;
  const { completion } = row;
  await fanOut(ctx, {
    issuerId: row.issuerId,
    type: "pathway.completed",
    key: `pathway.completed:${completionId}`,
    occurredAt: completion.completedAt,
    data: {
      completionId,
      pathwayId: completion.pathwayId,
      pathwayName: row.pathwayName,
      issuerId: row.issuerId,
      learner: { id: completion.userId, name: `${row.firstName} ${row.lastName}`.trim(), email: row.email },
      // The completion badge, when the pathway has one; it may be awarded a moment later.
      awardId: completion.awardId,
      completedAt: completion.completedAt.toISOString(),
    },
  });
}
