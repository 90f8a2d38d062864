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

it("answers an unknown path with a real 404 and the not-found page; deep links and robots.txt work", async () => {
  const { page } = await newPage(browser);
  const missing = await page.goto("/help-me-find-this");
  expect(missing?.status()).toBe(404);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  expect(await page.title()).toContain("Page not found");

  const deep = await page.goto("/verify");
  expect(deep?.status()).toBe(200);
  await page.getByRole("heading", { name: "Verify a badge" }).waitFor();
  expect(await page.locator('meta[name="description"]').getAttribute("content")).toMatch(/Open Badges/);
  // The SPA's own files still come straight from Static Assets, with the same policy.
  const script = await page.locator("script[type=module]").first().getAttribute("src");
  const asset = await page.request.get(script!);
  expect(asset.headers()["content-security-policy"]).toBe(deep?.headers()["content-security-policy"]);

  const robots = await page.request.get("/robots.txt");
  expect(robots.headers()["content-type"]).toMatch(/^text\/plain/);
  expect(await robots.text()).toContain("Disallow: /account");

  // Laurel's card, what link previews show of a page with no PNG of its own.
  const card = await page.request.get("/preview-card.png");
  expect(card.status()).toBe(200);
  expect(card.headers()["content-type"]).toBe("image/png");
});
