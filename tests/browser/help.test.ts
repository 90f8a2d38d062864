import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { expectAccessible } from "../support/axe";
import { launchChromium, newPage } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it("a signed-out visitor searches the help centre, reads an article and answers No with feedback", async () => {
  const { page } = await newPage(browser);
  const centre = await page.goto("/");
  expect(centre?.status()).toBe(200);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Help", exact: true }).click();
  await page.getByRole("heading", { name: "Help centre", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Promoted articles" }).waitFor();
  await expectAccessible(page, "/help");

  // Results while typing: a prefix is enough, and the match is marked.
  await page.getByLabel("Search help articles").fill("recov");
  const results = page.locator(".help-results");
  await results.getByRole("link").first().waitFor();
  expect(await results.locator("mark").count()).toBeGreaterThan(0);
  await expectAccessible(page, "/help with search results");

  // A query with no hit suggests a request.
  await page.getByLabel("Search help articles").fill("zzqqxx");
  await page.getByText("No articles match “zzqqxx”.").waitFor();
  await page.getByText("Have more questions?").first().waitFor();
  expect(await page.getByRole("link", { name: "Submit a request" }).count()).toBeGreaterThan(0);

  await page.getByLabel("Search help articles").fill("authenticator");
  const first = results.getByRole("link").first();
  await first.waitFor();
  const title = (await first.textContent())!.trim();
  await first.click();
  await page.getByRole("heading", { name: title, level: 1 }).waitFor();
  expect(page.url()).toMatch(/\/help\/articles\/[a-z0-9-]+$/);
  await page.getByText(/^Intended audience: /).waitFor();
  await page.getByText(/^Updated /).waitFor();
  await page.getByText("Laurel Support").first().waitFor();
  await expectAccessible(page, "the article page");

  // The server's HTML for the article carries its title and description, before any script.
  const html = await (await page.request.get(page.url())).text();
  expect(html).toContain(`<title>${title.replaceAll("&", "&amp;")} · Laurel</title>`);
  expect(html).toMatch(/<meta name="description" content="[^"]{10,}" \/>/);

  await page.getByRole("heading", { name: "Was this article helpful?" }).waitFor();
  const count = page.locator(".help-footer__count");
  const before = await count.textContent();
  const [, , total] = /(\d+) out of (\d+) found this helpful/.exec(before ?? "")!;
  await page.getByRole("button", { name: "No", exact: true }).click();
  await page.getByText(`out of ${Number(total) + 1} found this helpful`).waitFor();
  await page.getByText("Sorry we couldn't be helpful. Help us improve this article with your feedback.").waitFor();
  await expectAccessible(page, "the article page with the feedback box");
  await page.getByRole("button", { name: "Send feedback" }).click();
  await page.getByText("Write what was missing or wrong.").waitFor();
  await page.getByLabel("Your feedback").fill("The steps do not say where the QR code is.");
  await page.getByRole("button", { name: "Send feedback" }).click();
  await page.getByRole("status").getByText("Thank you for your feedback.").waitFor();
  await page.getByText("Have more questions?").waitFor();
  expect(await page.getByRole("link", { name: "Submit a request" }).getAttribute("href")).toMatch(
    /^\/help\/requests\/new\?from=%2Fhelp%2Farticles%2F/,
  );

  // One vote per visitor: after a reload the count is the same and the answer is still No.
  await page.reload();
  await page.getByText(`out of ${Number(total) + 1} found this helpful`).waitFor();
  expect(await page.getByRole("button", { name: "No", exact: true }).getAttribute("aria-pressed")).toBe("true");
});

it("answers an unknown article with a real 404 and the not-found page", async () => {
  const { page } = await newPage(browser);
  const response = await page.goto("/help/articles/there-is-no-such-article");
  expect(response?.status()).toBe(404);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
});
