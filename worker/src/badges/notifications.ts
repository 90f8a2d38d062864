import type { AppContext } from "../context";

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
