import { EmailMessage as CloudflareEmailMessage } from "cloudflare:email";
import type { Db } from "../database";
import type { Config } from "../env";
import { newId } from "../lib/ids";
import type { EmailMessage, Mailer } from "./message";
import { buildMime } from "./mime";
import { outbox } from "./outbox.table";

/** Picks the transport the configuration names; see docs/decisions/003-email-transports.md. */
export function createMailer(config: Config, env: Env, db: Db): Mailer {
  switch (config.email.transport) {
    case "cloudflare":
      return cloudflareMailer(config.email.from, env.EMAIL);
    case "http":
      return httpMailer(config.email.from, config.email.httpUrl, config.email.apiKey);
    case "outbox":
      return outboxMailer(config.email.from, db);
  }
}

function cloudflareMailer(from: string, binding: SendEmail): Mailer {
  const fromAddress = addressOf(from);
  return {
    async send(message) {
      const raw = buildMime(from, message, `${newId()}@${fromAddress.split("@")[1]}`, new Date());
      await binding.send(new CloudflareEmailMessage(fromAddress, message.to, raw));
    },
  };
}

/** A JSON mail API in the shape most providers share (Resend, Postmark-like): bearer key, one POST. */
function httpMailer(from: string, url: string, apiKey: string): Mailer {
  return {
    async send(message: EmailMessage) {
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
        body: JSON.stringify({ from, to: [message.to], subject: message.subject, text: message.text, html: message.html }),
      });
      if (!response.ok) throw new Error(`mail provider answered ${response.status}: ${await response.text()}`);
    },
  };
}

function outboxMailer(from: string, db: Db): Mailer {
  return {
    async send(message) {
      await db.insert(outbox).values({ id: newId(), from, ...message, createdAt: new Date() });
    },
  };
}

function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? from;
}
