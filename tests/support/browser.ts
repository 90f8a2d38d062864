import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { inject } from "vitest";

export const baseUrl = () => inject("baseUrl");

/** Debian's Chromium, headless, with the flags that keep it off the (closed) network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export async function newPage(browser: Browser, options: { width?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl(), viewport: { width: options.width ?? 1280, height: 900 } });
  const page = await context.newPage();
  return { context, page };
}

interface MailboxMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  createdAt: string;
}

/** Reads the dev mailbox over its API (the Mailbox page shows the same list). */
export async function mailboxFor(address: string): Promise<MailboxMessage[]> {
  const response = await fetch(`${baseUrl()}/dev/api/mailbox`);
  const { messages } = (await response.json()) as { messages: MailboxMessage[] };
  return messages.filter((m) => m.to === address);
}

/**
 * The mail to `address` once at least `count` of them (their subject containing `subject`) have arrived, newest
 * first: mail leaves through the outbox a moment after the answer, longer on a busy machine.
 */
export async function mailsOnceArrived(address: string, subject: string, count = 1): Promise<MailboxMessage[]> {
  for (let tries = 0; ; tries++) {
    const all = await mailboxFor(address);
    const mails = all.filter((m) => m.subject.includes(subject)).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    if (mails.length >= count) return mails;
    if (tries >= 120) {
      const got = all.map((m) => JSON.stringify(m.subject)).join(", ") || "nothing";
      throw new Error(`${count} mail(s) to ${address} about "${subject}" did not arrive in 30 s; it got ${got}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}@example.org`;
}
