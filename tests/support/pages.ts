import type { Page } from "playwright-core";
import { expect } from "vitest";

/** Opens the dev Mailbox page, picks the newest message to `address` with `subject` and returns its text part. */
export async function readMailInMailbox(page: Page, address: string, subject: string): Promise<string> {
  await page.goto("/dev/mailbox");
  const item = page.locator(".mailbox__item", { hasText: address }).filter({ hasText: subject }).first();
  await item.waitFor();
  await item.click();
  await page.getByRole("button", { name: "Text", exact: true }).click();
  return (await page.locator(".mailbox__text").textContent()) ?? "";
}

export function codeFrom(text: string): string {
  const code = text.match(/\b(\d{6,8})\b/)?.[1];
  expect(code, `no code in:\n${text}`).toBeTruthy();
  return code!;
}

export async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** True when the page scrolls sideways: the usual sign of a layout that breaks on phones. */
export function scrollsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

export const screenshot = (page: Page, name: string) => page.screenshot({ path: `tests/.artifacts/screens/${name}.png`, fullPage: true });
