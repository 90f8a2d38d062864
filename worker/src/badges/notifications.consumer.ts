import { eq } from "drizzle-orm";
import { type AppContext, backgroundContext } from "../context";
import { reportError } from "../http/report-error";
import { getAward, notifyRecipient } from "./awards.service";
import { awards } from "./awards.table";
import { requireBadgeClass } from "./badge-classes.service";
import { getIssuer } from "./issuers.service";
import type { AwardNotification } from "./notifications";

// Only the Worker's entry imports this: it builds a context with the mail transports, which
// the schema printer (run in Node) cannot load.

/**
 * The queue consumer. Each award is marked when its email went out, so a retried message
 * (deliveries are at-least-once) sends only what is still owed.
 */
export async function deliverNotifications(batch: MessageBatch<AwardNotification>, env: Env, execution: ExecutionContext): Promise<void> {
  const ctx = backgroundContext(env, execution);
  for (const message of batch.messages) {
    try {
      for (const awardId of message.body.awardIds) await notifyOnce(ctx, awardId);
      message.ack();
    } catch (error) {
      reportError(error, `notifications ${message.id}`);
      message.retry();
    }
  }
}

async function notifyOnce(ctx: AppContext, awardId: string) {
  const award = await getAward(ctx, awardId);
  // A revoked award needs no congratulations; a missing one has nothing to say.
  if (!award || award.revokedAt || award.notifiedAt) return;
  const badgeClass = await requireBadgeClass(ctx, award.badgeClassId);
  const issuer = await getIssuer(ctx, award.issuerId);
  if (!issuer) return;
  await notifyRecipient(ctx, award, badgeClass, issuer);
  await ctx.db
    .update(awards)
    .set({ notifiedAt: new Date(ctx.now()) })
    .where(eq(awards.id, awardId));
}
