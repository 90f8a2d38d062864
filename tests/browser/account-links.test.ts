import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signedInAccount } from "../support/api";
import { oathtoolCode } from "../support/authenticator";
import { expectAccessible } from "../support/axe";
import { baseUrl, launchChromium, newPage, uniqueEmail } from "../support/browser";
import { codeFrom, readMailInMailbox } from "../support/pages";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it("an account made with Microsoft is not told at its authenticator set-up that it signs in with a password", async () => {
  const { page } = await newPage(browser);
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Continue with Microsoft" }).click();
  await page.getByLabel("Email", { exact: true }).fill(uniqueEmail("sso-only"));
  await page.getByLabel("Given name").fill("Katherine");
  await page.getByLabel("Family name").fill("Johnson");
  await page.getByRole("button", { name: "Allow" }).click();
  await page.getByRole("heading", { name: "Set up two-step sign-in" }).waitFor();
  const intro = page.getByText("Every Laurel account signs in in two steps");
  await intro.waitFor();
  expect(await intro.textContent()).toContain("yours signs in with Google or Microsoft");
  expect(await intro.textContent()).not.toMatch(/password/i);
  // Half signed in: the header offers to cancel, not to sign in or register.
  const header = page.getByRole("navigation", { name: "Main" });
  await header.getByRole("button", { name: "Cancel sign-in" }).waitFor();
  expect(await header.getByRole("link", { name: "Register" }).count()).toBe(0);
  await expectAccessible(page, "authenticator set-up of an SSO-only account");
});

it("links another Laurel account from its own entry on the Account page", async () => {
  const mine = await signedInAccount("link-mine");
  const other = await signedInAccount("link-other");
  const { context, page } = await newPage(browser);
  await context.addCookies(mine.client.cookiesFor(baseUrl()));
  await page.goto("/account");
  await page.getByRole("heading", { name: "Link another Laurel account" }).waitFor();
  await expectAccessible(page, "account page");
  await page.getByLabel("Email address of the other account").fill(other.email);
  await page.getByRole("button", { name: "Email it a code" }).click();
  await page.getByText("Enter it to go on linking that account.").waitFor();
  const code = codeFrom(await readMailInMailbox(await context.newPage(), other.email, "Add this address"));
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Link the other account" }).waitFor();
  await page.getByLabel("Password of the other account").fill(other.password);
  await page.getByLabel("Code from the other account's authenticator app").fill(oathtoolCode(other.totpSecret, 1));
  await page.getByRole("button", { name: "Link accounts" }).click();
  await page.getByText(`The account of ${other.email} is now part of this one, with its badges.`).waitFor();
  await page.getByText(other.email, { exact: true }).first().waitFor();
  await expectAccessible(page, "account page after linking");
  await context.close();
});
