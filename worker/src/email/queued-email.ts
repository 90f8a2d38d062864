import type { SQL } from "drizzle-orm";
import type { Db } from "../database";
import type { OutboxEvent } from "../outbox/deliver";
import { type OutboxWrite, sealedOutboxInsert } from "../outbox/intents";
import type { EmailMessage, Mailer } from "./message";

/** An email rendered when the change commits and sent by the outbox. */
export const EMAIL_SEND = "email.send";

/** What an `email.send` event carries (sealed). */
interface QueuedEmail {
  message: EmailMessage;
  /** Not sent after this time (ms): a code that has expired is no use to anyone. */
  notAfter: number | null;
}

/**
 * The intent to send `message`, for the batch of the change it reports. Sealed at rest: it
 * names a person and may carry a code. `key` makes the intent idempotent where a retried
 * request could write it twice; `notAfter` drops it, unsent, once it would arrive too late
 * (set it to the expiry of the code it carries); `when` writes it only if that condition holds
 * in the batch (the change it reports won its race).
 */
export function emailIntent(
  ctx: { db: Db; config: { appSecret: string } },
  message: EmailMessage,
  now: number,
  options: { key?: string; notAfter?: number; when?: SQL } = {},
): Promise<OutboxWrite> {
  const payload: QueuedEmail = { message, notAfter: options.notAfter ?? null };
  return sealedOutboxInsert(ctx, { kind: EMAIL_SEND, payload, key: options.key }, now, options.when);
}

/** The handler of `email.send` events. */
export async function sendQueuedEmail(ctx: { mailer: Mailer; now(): number }, event: OutboxEvent): Promise<void> {
  const { message, notAfter } = (event.payload ?? {}) as Partial<QueuedEmail>;
  if (!message?.to || !message.subject || typeof message.text !== "string" || typeof message.html !== "string") {
    throw new Error(`email.send event ${event.id} has no complete message`);
  }
  if (typeof notAfter === "number" && ctx.now() > notAfter) return;
  await ctx.mailer.send({ to: message.to, subject: message.subject, text: message.text, html: message.html });
}
