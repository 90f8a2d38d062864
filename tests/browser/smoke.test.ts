import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium, newPage } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it("serves the SPA", async () => {
  const { page } = await newPage(browser);
  await page.goto("/");
  await page.locator("h1").first().waitFor();
  expect(await page.title()).toContain("Laurel");
});
