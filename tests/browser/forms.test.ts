import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { expectAccessible } from "../support/axe";
import { launchChromium, mailsOnceArrived, newPage, uniqueEmail } from "../support/browser";
import { codeFrom } from "../support/pages";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it("resubmitting a fixed registration moves nothing under the pointer and cannot be sent twice", async () => {
  const { page } = await newPage(browser, { width: 375 });
  await page.goto("/register");
  await page.getByLabel("First name").fill("Mary");
  await page.getByLabel("Last name").fill("Somerville");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("password");
  await page.getByRole("button", { name: "Submit" }).click();
  await page.locator(".field__error").first().waitFor();
  await expectAccessible(page, "registration with field errors");

  // Fix the fields while the terms' error is still shown, then hold the answer back.
  await page.getByLabel("Email").fill(uniqueEmail("steady"));
  await page.getByLabel("Password").fill("tidal orchard lantern 42");
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let registrations = 0;
  await page.route("**/graphql", async (route) => {
    if (route.request().postData()?.includes("register(")) {
      registrations++;
      await held;
    }
    await route.continue();
  });
  const submit = page.getByRole("button", { name: "Submit" });
  const before = await submit.boundingBox();
  const google = await page.getByRole("link", { name: /Google/ }).boundingBox();
  await submit.click();
  // While the request runs: the button is disabled, shows it is busy, and neither it nor
  // the provider buttons below it have moved.
  await page.getByRole("button", { name: "Submitting…" }).waitFor();
  expect(await page.getByRole("button", { name: "Submitting…" }).isDisabled()).toBe(true);
  expect(await submit.boundingBox()).toEqual(before);
  expect(await page.getByRole("link", { name: /Google/ }).boundingBox()).toEqual(google);
  await page.mouse.click(before!.x + before!.width / 2, before!.y + before!.height / 2);
  release();
  await page.getByText(/terms/i).first().waitFor();
  expect(registrations).toBe(1);
  expect(page.url()).toMatch(/\/register$/);
});

it("a resent activation code replaces the old code's error instead of sitting beside it", async () => {
  const email = uniqueEmail("resend");
  const { page } = await newPage(browser);
  await page.goto("/register");
  await page.getByLabel("First name").fill("Emmy");
  await page.getByLabel("Last name").fill("Noether");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("quiet meadow compass 8");
  await page.getByLabel(/I agree to the/).check();
  await page.getByRole("button", { name: "Submit" }).click();
  await page.getByRole("heading", { name: "Thank you for registering" }).waitFor();
  const verifyUrl = page.url();

  await page.getByLabel("Verification code").fill("000000");
  await page.getByRole("button", { name: "Next" }).click();
  const refusal = page.locator(".alert--error, .field__error").first();
  await refusal.waitFor();
  const refused = await refusal.textContent();
  // A minute must pass between two codes to one address; the first code counts as the first send.
  await new Promise((resolve) => setTimeout(resolve, 61_000));
  await page.getByRole("button", { name: "Resend code" }).click();
  await page.getByText("A new code is on its way. The previous code no longer works.").waitFor();
  expect(await page.getByText(refused ?? "").count()).toBe(0);
  await expectAccessible(page, "activation page after resending");

  // The resent code, once both emails are in (the first one's code no longer works).
  const [newest] = await mailsOnceArrived(email, "Activate your Laurel account", 2);
  const code = codeFrom(newest?.text ?? "");
  await page.goto(verifyUrl);
  await page.getByLabel("Verification code").fill(code);
  await page.getByRole("button", { name: "Next" }).click();
  await page.getByText("Your account has now been activated").waitFor();
});
