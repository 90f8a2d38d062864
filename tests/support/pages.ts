import type { Page } from "playwright-core";
import { expect } from "vitest";
import { oathtoolCode, scanQrCode, secretFromOtpauth } from "./authenticator";
import { mailsOnceArrived } from "./browser";

/** Opens the dev Mailbox page, picks the newest message to `address` with `subject` and returns its text part. */
export async function readMailInMailbox(page: Page, address: string, subject: string): Promise<string> {
  // Mail leaves through the outbox a moment after the answer (longer on a busy machine): wait
  // for it over the mailbox's API before reading it on the page.
  await mailsOnceArrived(address, subject);
  await page.goto("/dev/mailbox");
  const item = page.locator(".mailbox__item", { hasText: address }).filter({ hasText: subject }).first();
  // Mail sent through the outbox comes from the queue a moment after the action: look again
  // as a person would.
  const shown = () =>
    item.waitFor({ timeout: 750 }).then(
      () => true,
      () => false,
    );
  for (let tries = 0; tries < 20 && !(await shown()); tries++) await page.reload();
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

/** On the two-step sign-in page: enters a code and continues. */
export async function enterSignInCode(page: Page, code: string, options: { remember?: boolean } = {}) {
  await page.getByLabel("Code from the app").fill(code);
  if (options.remember) await page.getByLabel("Remember this device for 30 days").check();
  await page.getByRole("button", { name: "Continue" }).click();
}

/** On the set-up page: scans the QR code, enters a code from oathtool, saves the recovery code and continues. */
export async function setUpTwoStepSignIn(page: Page): Promise<{ secret: string; recoveryCode: string }> {
  await page.getByRole("heading", { name: "Set up two-step sign-in" }).waitFor();
  await page.locator(".enrol__qr").waitFor();
  const secret = secretFromOtpauth(await scanQrCode(page));
  await page.getByLabel("Enter the 6-digit code the app shows").fill(oathtoolCode(secret));
  await page.getByRole("button", { name: "Next" }).click();
  const recoveryCode = (await page.getByTestId("recovery-code").textContent())!.trim();
  await page.getByLabel("I have saved this code").check();
  await page.getByRole("button", { name: "Continue" }).click();
  return { secret, recoveryCode };
}

/** The seeded demo accounts share one authenticator secret (see worker/src/dev/seed.ts). */
export const DEMO_TOTP_SECRET = "LAURELDEMOTOTPSECRETFORDEVONLY23";
