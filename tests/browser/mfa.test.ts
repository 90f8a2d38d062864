import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { registeredAccount } from "../support/accounts";
import { oathtoolCode } from "../support/authenticator";
import { launchChromium, mailboxFor, newPage } from "../support/browser";
import { enterSignInCode, screenshot, setUpTwoStepSignIn, signInWithPassword } from "../support/pages";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PASSWORD = "violet harbour lantern 7";

const registered = () => registeredAccount({ label: "browser-mfa", firstName: "Mira", password: PASSWORD });

const welcome = (page: import("playwright-core").Page) => page.getByRole("heading", { name: "Welcome, Mira" }).waitFor();

it("sets up from the scanned QR code, remembers a device, and signs in with a rotating recovery code", async () => {
  const email = await registered();

  // Set-up: the QR code on the page, decoded as a phone would, gives oathtool its secret.
  const first = await newPage(browser);
  await signInWithPassword(first.page, email, PASSWORD);
  await first.page.getByRole("heading", { name: "Set up two-step sign-in" }).waitFor();
  // Half signed in: the header offers neither Sign in nor Register, only a way out.
  const nav = first.page.getByRole("navigation", { name: "Main" });
  await nav.getByRole("button", { name: "Cancel sign-in" }).waitFor();
  expect(await nav.getByRole("link", { name: "Register" }).count()).toBe(0);
  await first.page.getByText("Trouble scanning?").click();
  const typedSecret = (await first.page.getByTestId("totp-secret").textContent())!.trim();
  expect(typedSecret).toMatch(/^([A-Z2-7]{4} )*[A-Z2-7]{4}$/);
  await screenshot(first.page, "mfa-setup");
  const { secret, recoveryCode } = await setUpTwoStepSignIn(first.page);
  expect(secret).toBe(typedSecret.replaceAll(" ", ""));
  expect(recoveryCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){5}$/);
  await welcome(first.page);
  expect(first.page.url()).not.toContain("setup");

  // Sign out, sign in with a code and "Remember this device for 30 days".
  await first.page.getByRole("button", { name: "Sign out" }).click();
  await first.page.getByText("You are signed out.").waitFor();
  await signInWithPassword(first.page, email, PASSWORD);
  await first.page.getByLabel("Code from the app").waitFor();
  await screenshot(first.page, "mfa-code");
  await enterSignInCode(first.page, oathtoolCode(secret, 1), { remember: true });
  await welcome(first.page);
  const deviceCookie = (await first.context.cookies()).find((c) => c.name === "__Host-laurel_device");
  expect(deviceCookie?.httpOnly).toBe(true);
  expect(deviceCookie?.secure).toBe(true);
  expect(deviceCookie!.expires * 1000 - Date.now()).toBeGreaterThan(29 * 24 * 3600_000);
  await first.context.close();

  // A fresh browser context holding only the remembered-device cookie: no code asked.
  const remembered = await newPage(browser);
  await remembered.context.addCookies([{ ...deviceCookie! }]);
  await signInWithPassword(remembered.page, email, PASSWORD);
  await welcome(remembered.page);
  await remembered.page.goto("/account/security");
  await remembered.page.getByTestId("remembered-device").first().waitFor();
  expect(await remembered.page.getByText("This device", { exact: true }).count()).toBe(1);
  await screenshot(remembered.page, "mfa-security");
  await remembered.context.close();

  // Without it the code is asked; "Try another method" takes the recovery code, which is replaced.
  const elsewhere = await newPage(browser);
  await signInWithPassword(elsewhere.page, email, PASSWORD);
  await elsewhere.page.getByLabel("Code from the app").waitFor();
  await elsewhere.page.getByRole("button", { name: "Try another method" }).click();
  await elsewhere.page.getByLabel("Recovery code").fill(recoveryCode);
  await elsewhere.page.getByRole("button", { name: "Continue" }).click();
  await elsewhere.page.getByRole("heading", { name: "Your new recovery code" }).waitFor();
  const newRecoveryCode = (await elsewhere.page.getByTestId("recovery-code").textContent())!.trim();
  expect(newRecoveryCode).not.toBe(recoveryCode);
  await screenshot(elsewhere.page, "mfa-new-recovery-code");
  expect(await elsewhere.page.getByRole("button", { name: "Continue" }).isDisabled()).toBe(true);
  await elsewhere.page.getByLabel("I have saved this code").check();
  await elsewhere.page.getByRole("button", { name: "Continue" }).click();
  await welcome(elsewhere.page);
  await elsewhere.context.close();

  // The old recovery code no longer works.
  const again = await newPage(browser);
  await signInWithPassword(again.page, email, PASSWORD);
  await again.page.getByRole("button", { name: "Try another method" }).click();
  await again.page.getByLabel("Recovery code").fill(recoveryCode);
  await again.page.getByRole("button", { name: "Continue" }).click();
  await expect(again.page.getByRole("alert").first().textContent()).resolves.toMatch(/already used/);
  expect(again.page.url()).toContain("/sign-in/code");
  await again.context.close();
});

it("keeps a half-signed-in browser out of the app", async () => {
  const email = await registered();
  const { page } = await newPage(browser);
  await signInWithPassword(page, email, PASSWORD);
  await page.getByRole("heading", { name: "Set up two-step sign-in" }).waitFor();
  await page.goto("/account");
  await page.waitForURL(/\/sign-in\?next=%2Faccount/);
});

it("changes the password on the Security page: other browsers are signed out, this one stays, the owner is emailed", async () => {
  const email = await registered();
  const first = await newPage(browser);
  await signInWithPassword(first.page, email, PASSWORD);
  const { secret, recoveryCode } = await setUpTwoStepSignIn(first.page);
  await welcome(first.page);
  // Another browser, signed in with the recovery code (the app's next code is for the change).
  const other = await newPage(browser);
  await signInWithPassword(other.page, email, PASSWORD);
  await other.page.getByRole("button", { name: "Try another method" }).click();
  await other.page.getByLabel("Recovery code").fill(recoveryCode);
  await other.page.getByRole("button", { name: "Continue" }).click();
  await other.page.getByLabel("I have saved this code").check();
  await other.page.getByRole("button", { name: "Continue" }).click();
  await welcome(other.page);

  await first.page.goto("/account");
  await first.page.getByRole("link", { name: /^Security: password/ }).click();
  const panel = first.page.getByRole("region", { name: "Password" });
  await panel.getByLabel("Current password").fill("not my password at all");
  await panel.getByLabel("New password").fill("a fresh new passphrase 8");
  await panel.getByLabel("Code from your authenticator app").fill(oathtoolCode(secret, 1));
  await panel.getByRole("button", { name: "Change password" }).click();
  await panel.getByText("That password is not right.").waitFor();
  // The field that is wrong takes the focus, with its error beside it.
  await expect.poll(() => first.page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("password");
  await panel.getByLabel("Current password").fill(PASSWORD);
  await panel.getByRole("button", { name: "Change password" }).click();
  await panel.getByText("Your password is changed. Other devices are signed out.").waitFor();

  await first.page.goto("/backpack");
  await first.page.getByRole("heading", { name: "Backpack" }).waitFor();
  await other.page.goto("/backpack");
  await other.page.getByRole("heading", { name: "Sign in" }).waitFor();
  await expect
    .poll(async () => (await mailboxFor(email)).some((m) => m.subject === "Your Laurel password was changed"), { timeout: 15_000 })
    .toBe(true);
  await signInWithPassword(other.page, email, "a fresh new passphrase 8");
  await other.page.getByLabel("Code from the app").waitFor();
  await first.context.close();
  await other.context.close();
});
