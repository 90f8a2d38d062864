import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { issuerWithBadgeClass, signedInAccount } from "../support/api";
import { oathtoolCode } from "../support/authenticator";
import { expectAccessible } from "../support/axe";
import { launchChromium, newPage } from "../support/browser";
import { enterSignInCode, screenshot, scrollsSideways, signInWithPassword } from "../support/pages";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const AWARD = `mutation ($badgeClassId: ID!, $input: AwardInput!) { awardBadge(badgeClassId: $badgeClassId, input: $input) { __typename } }`;

it("a learner signs in, gathers badges into a collection on a phone, orders them, shares the link and withdraws it", async () => {
  // Set-up through the API: an issuer awards two badges to a learner who is already signed in.
  const issuer = await issuerWithBadgeClass("collections-issuer");
  const learner = await signedInAccount("collections-learner");
  for (const narrative of ["Led the moderation meeting", "Wrote the marking guide"]) {
    await issuer.client.gql(AWARD, { badgeClassId: issuer.badgeClassId, input: { email: learner.email, narrative } });
  }
  const { context, page } = await newPage(browser, { width: 375 });
  await signInWithPassword(page, learner.email, learner.password);
  await page.getByLabel("Code from the app").waitFor();
  // The next period's code: the API set-up just used the current one, and codes are single-use.
  await enterSignInCode(page, oathtoolCode(learner.totpSecret, 1));
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await page.goto("/backpack");
  await page.getByRole("link", { name: "Collections" }).click();
  await page.getByLabel("Name").fill("Job application");
  await page.getByRole("button", { name: "Create collection" }).click();
  await page.getByRole("heading", { name: "Job application" }).waitFor();

  const boxes = page.getByRole("checkbox");
  expect(await boxes.count()).toBe(2);
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  const chosen = page.locator("ol.list .list__main");
  const [first, second] = await chosen.allTextContents();
  await page.locator("ol.list li").nth(1).getByRole("button", { name: "Up" }).click();
  expect(await chosen.allTextContents()).toEqual([second, first]);
  await page.getByRole("button", { name: "Save badges" }).click();
  await page.getByText("Badges saved.").waitFor();

  await page.getByRole("button", { name: "Share with a link" }).click();
  const link = (await page.getByTestId("collection-link").getAttribute("href"))!;
  expect(await scrollsSideways(page)).toBe(false);
  await expectAccessible(page, "the collection editor");
  await screenshot(page, "collection-editor");

  // Anyone with the link sees the page; its badges link to their verification pages.
  const visitor = await newPage(browser, { width: 375 });
  await visitor.page.goto(link);
  await visitor.page.getByRole("heading", { name: "Job application" }).waitFor();
  expect(await visitor.page.locator(".grid li a").count()).toBe(2);
  expect(await visitor.page.locator(".grid li a").first().getAttribute("href")).toMatch(/\/public\/assertions\//);
  expect(await scrollsSideways(visitor.page)).toBe(false);
  await expectAccessible(visitor.page, "a shared collection");
  await screenshot(visitor.page, "collection-public");

  // The link is shown once (Laurel keeps only its hash): back on the page, only a new one can be made.
  await page.reload();
  await page.getByText("Laurel keeps only a fingerprint of the link").waitFor();
  expect(await page.getByTestId("collection-link").count()).toBe(0);
  await page.getByRole("button", { name: "Make a new link" }).click();
  await page.getByText("New link made").waitFor();
  const newLink = (await page.getByTestId("collection-link").getAttribute("href"))!;
  expect(newLink).not.toBe(link);
  expect((await visitor.page.goto(link))?.status()).toBe(404);
  expect((await visitor.page.goto(newLink))?.status()).toBe(200);

  await page.getByRole("button", { name: "Stop sharing" }).click();
  await page.getByText("Sharing stopped").waitFor();
  expect((await visitor.page.goto(newLink))?.status()).toBe(404);
  await visitor.context.close();
  await context.close();
});
