import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { issuerWithBadgeClass, signedInAccount } from "../support/api";
import { expectAccessible } from "../support/axe";
import { baseUrl, launchChromium, newPage } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const AWARD = `mutation ($badgeClassId: ID!, $input: AwardInput!) { awardBadge(badgeClassId: $badgeClassId, input: $input) { ... on Award { id } } }`;

it("a learner shows their profile on their public badge page, sees it there, and turns it off again", async () => {
  const learner = await signedInAccount("profile-learner");
  const issuer = await issuerWithBadgeClass("profile-issuer");
  const { awardBadge } = await issuer.client.gql(AWARD, { badgeClassId: issuer.badgeClassId, input: { email: learner.email } });
  const { context, page } = await newPage(browser);
  await context.addCookies(learner.client.cookiesFor(baseUrl()));
  await page.goto("/account");
  await page.getByRole("heading", { name: "Profile" }).waitFor();
  await page.getByLabel("Headline").fill("Physics teacher, years 10–11");
  await page.getByLabel("Social links, one per line: name then address").fill("Portfolio https://iris.example.org/");
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByText("Your profile is saved.").waitFor();

  const shown = page.getByLabel("Show my name and this profile on my public badge and collection pages");
  expect(await shown.isChecked()).toBe(false);
  await page.getByText("Not shown: your public pages show only the badges.").waitFor();
  await shown.check();
  await page.getByText("Shown: anyone with a link to one of your badges").waitFor();
  await expectAccessible(page, "account page with the profile shown");

  const badge = await context.newPage();
  await badge.goto(`/public/assertions/${awardBadge.id}`);
  await badge.getByRole("region", { name: "Earned by Iris Tester" }).getByText("Physics teacher, years 10–11").waitFor();
  expect(await badge.getByRole("link", { name: "Portfolio" }).getAttribute("href")).toBe("https://iris.example.org/");
  await expectAccessible(badge, "public badge page with the learner's profile");

  await shown.uncheck();
  await page.getByText("Not shown: your public pages show only the badges.").waitFor();
  await badge.reload();
  await badge.getByRole("heading", { level: 1 }).waitFor();
  expect(await badge.getByText("Physics teacher, years 10–11").count()).toBe(0);
  await context.close();
});

it("keyboard focus on the photo's file input shows on the visible Add a photo control", async () => {
  const learner = await signedInAccount("photo-focus");
  const { context, page } = await newPage(browser);
  await context.addCookies(learner.client.cookiesFor(baseUrl()));
  await page.goto("/account");
  const control = page.getByText("Add a photo", { exact: true });
  await control.waitFor();
  expect(await control.evaluate((label) => getComputedStyle(label).outlineStyle)).toBe("none");
  // Tab from the control just before it until the hidden file input has the focus.
  await page.getByLabel("Show my name and this profile on my public badge and collection pages").focus();
  for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.id === "profile-photo-input")); i++) {
    await page.keyboard.press("Tab");
  }
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("profile-photo-input");
  const outline = await control.evaluate((label) => {
    const style = getComputedStyle(label);
    return { style: style.outlineStyle, width: style.outlineWidth };
  });
  expect(outline).toEqual({ style: "solid", width: "3px" });
  await context.close();
});
