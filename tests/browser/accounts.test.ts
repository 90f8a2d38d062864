import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { registeredAccount } from "../support/accounts";
import { oathtoolCode } from "../support/authenticator";
import { expectAccessible } from "../support/axe";
import { launchChromium, newPage, uniqueEmail } from "../support/browser";
import {
  codeFrom,
  DEMO_TOTP_SECRET,
  enterSignInCode,
  readMailInMailbox,
  screenshot,
  scrollsSideways,
  setUpTwoStepSignIn,
  signInWithPassword,
} from "../support/pages";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const PASSWORD = "copper kettle meadow 42";

it("registers, activates with the code from the Mailbox page, signs in, signs out and signs in again", async () => {
  const email = uniqueEmail("browser-register");
  const { page } = await newPage(browser);

  await page.goto("/register");
  await page.getByLabel("First name").fill("Ada");
  await page.getByLabel("Last name").fill("Lovelace");
  await page.getByLabel("Email").fill(email);
  await expect(page.getByText(`We'll send the activation code to ${email}`).isVisible()).resolves.toBe(true);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel(/I agree to the/).check();
  await page.getByRole("button", { name: "Submit" }).click();
  await page.getByRole("heading", { name: "Thank you for registering" }).waitFor();
  const verifyUrl = page.url();

  const text = await readMailInMailbox(page, email, "Activate your Laurel account");
  await screenshot(page, "mailbox");
  const code = codeFrom(text);

  await page.goto(verifyUrl);
  await page.getByLabel("Verification code").fill(code);
  await page.getByRole("button", { name: "Next" }).click();
  await screenshot(page, "after-next");
  const success = page.locator(".alert--success");
  await success.waitFor({ timeout: 5000 }).catch(async (e) => {
    await screenshot(page, "activation-failed");
    throw e;
  });
  expect(await success.textContent()).toContain("Your account has now been activated and you can log in");
  const green = await success.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(green).toBe("rgb(230, 244, 234)");
  await screenshot(page, "activated");

  await signInWithPassword(page, email, PASSWORD);
  // Every account sets up two-step sign-in at its first sign-in (tests/browser/mfa.test.ts covers it in depth).
  const { secret } = await setUpTwoStepSignIn(page);
  await page.getByRole("heading", { name: "Welcome, Ada" }).waitFor();

  await page.getByRole("link", { name: "Account", exact: true }).click();
  await page.getByTestId("session").first().waitFor();
  expect(await page.getByText("This device").count()).toBe(1);
  await page.getByLabel("Headline").fill("Maths teacher");
  await page.getByLabel("Educational providers, one per line").fill("Northwind Teachers College\nOpen University");
  await page.getByRole("button", { name: "Save profile" }).click();
  await page.getByText("Your profile is saved.").waitFor();
  await page.reload();
  expect(await page.getByLabel("Educational providers, one per line").inputValue()).toBe("Northwind Teachers College\nOpen University");
  await screenshot(page, "account");

  await page.getByRole("button", { name: "Sign out" }).first().click();
  await page.getByText("You are signed out.").waitFor();
  await page.goto("/account");
  await page.waitForURL(/\/sign-in\?next=%2Faccount/);

  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Code from the app").waitFor();
  await enterSignInCode(page, oathtoolCode(secret, 1));
  await page.waitForURL(/\/account$/);
  await page.getByRole("heading", { name: "Account", exact: true }).waitFor();
});

it("shows the API's field errors beside the fields and keeps the user on the form", async () => {
  const { page } = await newPage(browser);
  await page.goto("/register");
  await page.getByLabel("First name").fill("Grace");
  await page.getByLabel("Last name").fill("Hopper");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("password");
  await page.getByRole("button", { name: "Submit" }).click();
  const errors = page.locator(".field__error");
  await errors.first().waitFor();
  const messages = await errors.allTextContents();
  expect(messages.join(" | ")).toMatch(/email/i);
  expect(messages.join(" | ")).toMatch(/common/i);
  expect(messages.join(" | ")).toMatch(/terms/i);
  expect(await page.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
  expect(page.url()).toMatch(/\/register$/);
  // The first field that is wrong has the focus; fixing a field clears its message at once.
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("email");
  await page.getByLabel("Email").fill("grace@example.org");
  expect(await page.getByLabel("Email").getAttribute("aria-invalid")).toBeNull();
  expect((await errors.allTextContents()).join(" | ")).not.toMatch(/email/i);
  expect((await errors.allTextContents()).join(" | ")).toMatch(/common/i);

  // A message under First name does not stretch Last name beside it.
  await page.getByLabel("First name").fill("");
  await page.getByRole("button", { name: "Submit" }).click();
  await page
    .locator(".field--invalid")
    .filter({ has: page.getByLabel("First name") })
    .waitFor();
  const [first, last] = await Promise.all([page.getByLabel("First name").boundingBox(), page.getByLabel("Last name").boundingBox()]);
  expect(last!.height).toBe(first!.height);
  expect(last!.y).toBe(first!.y);
});

it("tells the user a wrong password is wrong without saying whether the email exists", async () => {
  const { page } = await newPage(browser);
  await signInWithPassword(page, "learner@laurel.local", "not the password at all");
  const known = await page.getByRole("alert").textContent();
  await signInWithPassword(page, uniqueEmail("nobody"), "not the password at all");
  await page.getByRole("alert").waitFor();
  expect(await page.getByRole("alert").textContent()).toBe(known);
});

it("when sign-in is paused, emails a sign-in link that lets the right password through", async () => {
  const password = "quiet harbour lantern 7";
  const email = await registeredAccount({ label: "browser-paused", firstName: "Lin", password });
  const { page } = await newPage(browser);
  for (let i = 0; i < 10; i++) {
    await signInWithPassword(page, email, `not it ${i}`);
    await page.getByRole("alert").waitFor();
  }
  expect(await page.getByRole("alert").textContent()).toMatch(/paused for 15 minutes/);
  await page.getByRole("button", { name: "Email me a sign-in link" }).click();
  await page.getByText(`We sent a sign-in link to ${email}`).waitFor();
  const mail = await readMailInMailbox(page, email, "Your Laurel sign-in link");
  const link = mail.match(/Sign in with this link: (\S+)/)?.[1];
  expect(link).toMatch(/\/sign-in\?email=.+&unlock=/);
  await page.goto(new URL(link!).pathname + new URL(link!).search);
  await page.getByText("the link you followed lets it through once").waitFor();
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Set up two-step sign-in" }).waitFor();
});

it("is usable at 375 px wide without sideways scrolling, and every page passes axe-core", async () => {
  const { page } = await newPage(browser, { width: 375 });
  const check = async (what: string) => {
    expect(await scrollsSideways(page), what).toBe(false);
    await expectAccessible(page, `${what} at 375 px`);
  };
  const signedOut = [
    "/",
    "/register",
    "/sign-in",
    "/forgot-password",
    "/reset-password?email=someone%40example.org",
    "/register/verify?email=someone%40example.org",
    "/verify",
    "/terms",
    "/privacy",
    "/a-page-that-is-not-there",
    "/dev/mailbox",
  ];
  for (const path of signedOut) {
    await page.goto(path);
    await page.locator("h1").first().waitFor();
    await check(path);
  }
  await signInWithPassword(page, "learner@laurel.local", "laurel-demo-2026");
  await page.getByLabel("Code from the app").waitFor();
  await check("the sign-in code step");
  await enterSignInCode(page, oathtoolCode(DEMO_TOTP_SECRET));
  await page.getByRole("heading", { name: /Welcome/ }).waitFor();
  await check("home, signed in");
  await page.goto("/account");
  await page.getByTestId("session").first().waitFor();
  await check("/account");
  await screenshot(page, "account-375");
  // The demo learner's own pages, with the seeded badges, pathways and submissions in them.
  for (const [path, heading, loaded] of [
    ["/account/security", "Security", "Two-step sign-in"],
    ["/backpack", "Backpack", "Formative Assessment"],
    ["/backpack/collections", "Collections", "New collection"],
    ["/submissions", "My submissions", "Returned for revision"],
    ["/pathways", "Pathways", "Assessment Leader"],
  ] as const) {
    await page.goto(path);
    await page.getByRole("heading", { name: heading, exact: true }).waitFor();
    // Checked once the page's data is in, not while it loads.
    await page.getByText(loaded).first().waitFor();
    await check(path);
  }
  await page.goto("/backpack");
  await page.locator(".badge-card").first().getByRole("link").first().click();
  await page.getByTestId("public-link").waitFor();
  await check("a badge in the backpack");
});
