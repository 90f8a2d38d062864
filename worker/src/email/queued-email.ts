import type { Db } from "../db/client";
import type { OutboxEvent } from "../outbox/deliver";
import { type OutboxWrite, sealedOutboxInsert } from "../outbox/intents";
import type { EmailMessage, Mailer } from "./message";

/** An email rendered when the change commits and sent by the outbox. */
export const EMAIL_SEND = "email.send";

/**
 * The intent to send `message`, for the batch of the change it reports. Sealed at rest: it
 * names a person and may carry a code. `key` makes the intent idempotent where a retried
 * request could write it twice.
 */
export function emailIntent(
  ctx: { db: Db; config: { appSecret: string } },
  message: EmailMessage,
  now: number,
  key?: string,
): Promise<OutboxWrite> {
  return sealedOutboxInsert(ctx, { kind: EMAIL_SEND, payload: message, key }, now);
}

/** The handler of `email.send` events. */
export async function sendQueuedEmail(ctx: { mailer: Mailer }, event: OutboxEvent): Promise<void> {
  const message = event.payload as Partial<EmailMessage> | null;
  if (!message?.to || !message.subject || typeof message.text !== "string" || typeof message.html !== "string") {
    throw new Error(`email.send event ${event.id} has no complete message`);
  }
  await ctx.mailer.send({ to: message.to, subject: message.subject, text: message.text, html: message.html });
}
