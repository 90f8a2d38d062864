import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { oathtoolCode } from "../support/authenticator";
import { launchChromium, newPage, uniqueEmail } from "../support/browser";
import { enterSignInCode, screenshot, setUpTwoStepSignIn } from "../support/pages";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it("continues with Google: the provider's page, MFA set-up, signed in; later sign-ins ask for a code", async () => {
  const email = uniqueEmail("browser-sso");
  const { page } = await newPage(browser);
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Continue with Google" }).click();

  // The loopback provider's own page, as Google's consent screen would be.
  await page.getByRole("heading", { name: /google \(loopback test provider\)/i }).waitFor();
  await screenshot(page, "sso-provider");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Given name").fill("Grace");
  await page.getByLabel("Family name").fill("Hopper");
  await page.getByRole("button", { name: "Allow" }).click();

  const { secret } = await setUpTwoStepSignIn(page);
  await page.getByRole("heading", { name: "Welcome, Grace" }).waitFor();

  await page.goto("/account/security");
  await page.getByTestId("linked-provider").first().waitFor();
  expect(await page.getByTestId("linked-provider").first().textContent()).toContain(`Google · ${email}`);
  await screenshot(page, "sso-security");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByText("You are signed out.").waitFor();
  await page.getByRole("link", { name: "Continue with Google" }).click();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Allow" }).click();
  await page.getByLabel("Code from the app").waitFor();
  await enterSignInCode(page, oathtoolCode(secret, 1));
  await page.getByRole("heading", { name: "Welcome, Grace" }).waitFor();
});

it("lands on a clear message when the user denies consent", async () => {
  const { page } = await newPage(browser);
  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Continue with Microsoft" }).click();
  await page.getByRole("button", { name: "Deny" }).click();
  await page.waitForURL(/\/sign-in\?ssoError=denied/);
  expect(await page.getByRole("alert").first().textContent()).toContain("You cancelled signing in with the provider");
});
