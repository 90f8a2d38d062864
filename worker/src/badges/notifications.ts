import { eq } from "drizzle-orm";
import { type AppContext, backgroundContext } from "../context";
import { reportError } from "../http/report-error";
import { getAward, notifyRecipient } from "./awards.service";
import { awards } from "./awards.table";
import { requireBadgeClass } from "./badge-classes.service";
import { getIssuer } from "./issuers.service";

/** Up to NOTIFICATIONS_PER_MESSAGE awards per message: a 10,000-row file is 400 messages, not 10,000. */
export interface AwardNotification {
  kind: "badges-awarded";
  awardIds: string[];
}

const NOTIFICATIONS_PER_MESSAGE = 25;

/** Queues "you earned a badge" emails: a bulk award answers at once, and each email is retried on its own. */
export async function queueAwardNotifications(ctx: Pick<AppContext, "env">, awardIds: string[]): Promise<void> {
  const messages: { body: AwardNotification }[] = [];
  for (let i = 0; i < awardIds.length; i += NOTIFICATIONS_PER_MESSAGE) {
    messages.push({ body: { kind: "badges-awarded", awardIds: awardIds.slice(i, i + NOTIFICATIONS_PER_MESSAGE) } });
  }
  // sendBatch takes at most 100 messages.
  for (let i = 0; i < messages.length; i += 100) await ctx.env.NOTIFICATIONS.sendBatch(messages.slice(i, i + 100));
}

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
