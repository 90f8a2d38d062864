import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
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

async function signInAsDemoIssuer(page: Page) {
  await signInWithPassword(page, "issuer@laurel.local", "laurel-demo-2026");
  await page.getByLabel("Code from the app").waitFor();
  await enterSignInCode(page, oathtoolCode(DEMO_TOTP_SECRET));
  await page.getByRole("heading", { name: "Welcome, Ivan" }).waitFor();
}

it("an issuer awards a badge to a new address; the recipient registers from the email, sets up MFA, finds it in the backpack, adds a second email and links a second account", async () => {
  const recipient = uniqueEmail("browser-recipient");
  const issuer = await newPage(browser);
  await signInAsDemoIssuer(issuer.page);
  await issuer.page.getByRole("navigation").getByRole("link", { name: "Issuers" }).click();
  await issuer.page.getByRole("link", { name: "Laurel Demo Academy" }).click();
  await issuer.page.getByRole("heading", { name: "Award a badge" }).waitFor();
  await issuer.page.getByLabel("Badge class", { exact: true }).first().selectOption({ label: "Formative Assessment" });
  await issuer.page.getByLabel("Recipient email").fill(recipient);
  await issuer.page.getByLabel("Recipient name (optional)").fill("Rosa Recipient");
  await issuer.page.getByLabel("Evidence URL (optional)").fill("https://evidence.example.org/rosa");
  await issuer.page.getByRole("button", { name: "Award", exact: true }).click();
  await issuer.page.getByText(`Awarded. We emailed ${recipient}.`).waitFor();
  await issuer.page.getByTestId("award-row").filter({ hasText: recipient }).waitFor();
  await screenshot(issuer.page, "issuer-console");

  // The answer to an award is lost on the way back; sending the unchanged form again awards once.
  const retried = uniqueEmail("browser-retried");
  let lost = false;
  await issuer.page.route("**/graphql", async (route) => {
    if (!lost && route.request().postData()?.includes("awardBadge")) {
      lost = true;
      await route.fetch();
      await route.abort("connectionreset");
      return;
    }
    await route.continue();
  });
  await issuer.page.getByLabel("Recipient email").fill(retried);
  await issuer.page.getByRole("button", { name: "Award", exact: true }).click();
  await issuer.page.getByText("Something went wrong. Check your connection and try again.").waitFor();
  await issuer.page.getByRole("button", { name: "Award", exact: true }).click();
  await issuer.page.getByText(`Awarded. We emailed ${retried}.`).waitFor();
  await issuer.page.getByTestId("award-row").filter({ hasText: retried }).waitFor();
  expect(await issuer.page.getByTestId("award-row").filter({ hasText: retried }).count()).toBe(1);
  await issuer.page.unroute("**/graphql");

  // The recipient follows the email's button: registration with the address filled in.
  const learner = await newPage(browser);
  const mail = await readMailInMailbox(learner.page, recipient, "You earned");
  const link = mail.match(/Claim your badge: (\S+)/)?.[1];
  expect(link).toContain("/register?email=");
  await learner.page.goto(link!);
  expect(await learner.page.getByLabel("Email").inputValue()).toBe(recipient);
  await learner.page.getByLabel("First name").fill("Rosa");
  await learner.page.getByLabel("Last name").fill("Recipient");
  await learner.page.getByLabel("Password").fill("amber cactus journey 9");
  await learner.page.getByLabel(/I agree to the/).check();
  await learner.page.getByRole("button", { name: "Submit" }).click();
  await learner.page.getByRole("heading", { name: "Thank you for registering" }).waitFor();
  const verifyUrl = learner.page.url();
  const code = codeFrom(await readMailInMailbox(learner.page, recipient, "Activate your Laurel account"));
  await learner.page.goto(verifyUrl);
  await learner.page.getByLabel("Verification code").fill(code);
  await learner.page.getByRole("button", { name: "Next" }).click();
  await learner.page.locator(".alert--success").waitFor();
  await signInWithPassword(learner.page, recipient, "amber cactus journey 9");
  await setUpTwoStepSignIn(learner.page);
  await learner.page.getByRole("heading", { name: "Welcome, Rosa" }).waitFor();

  await learner.page.getByRole("navigation").getByRole("link", { name: "Backpack" }).click();
  const card = learner.page.locator(".badge-card", { hasText: "Formative Assessment" });
  await card.waitFor();
  expect(await card.textContent()).toContain("Laurel Demo Academy");
  await screenshot(learner.page, "backpack");
  await card.getByRole("link").click();
  await learner.page.getByRole("heading", { name: "Formative Assessment" }).waitFor();
  await learner.page.getByRole("button", { name: "Accept badge" }).click();
  await learner.page.locator('.tag[data-status="ACCEPTED"]').waitFor();
  expect(await learner.page.getByRole("link", { name: "https://evidence.example.org/rosa" }).count()).toBe(1);
  await screenshot(learner.page, "badge-detail");

  // Sharing: LinkedIn's form gets the certification's details; the public link verifies with no account.
  const linkedIn = new URL((await learner.page.getByTestId("linkedin-add").getAttribute("href"))!);
  const publicUrl = (await learner.page.getByTestId("public-link").textContent())!;
  expect(linkedIn.origin + linkedIn.pathname).toBe("https://www.linkedin.com/profile/add");
  const now = new Date();
  expect(Object.fromEntries(linkedIn.searchParams)).toMatchObject({
    startTask: "CERTIFICATION_NAME",
    name: "Formative Assessment",
    organizationName: "Laurel Demo Academy",
    issueYear: String(now.getUTCFullYear()),
    issueMonth: String(now.getUTCMonth() + 1),
    expirationYear: String(now.getUTCFullYear() + 2),
    certUrl: publicUrl,
  });
  const visitor = await newPage(browser, { width: 375 });
  await visitor.page.goto(publicUrl);
  await visitor.page.getByRole("heading", { name: "Formative Assessment" }).waitFor();
  expect(await visitor.page.locator(".status").textContent()).toBe("Valid");
  expect(await visitor.page.locator('meta[property="og:title"]').getAttribute("content")).toBe(
    "Formative Assessment · Laurel Demo Academy",
  );
  expect(await scrollsSideways(visitor.page)).toBe(false);
  await screenshot(visitor.page, "public-badge-page");

  // The downloaded image carries the badge; the public verifier reads it back.
  const bakedHref = (await learner.page.getByTestId("baked-image").getAttribute("href"))!;
  const baked = await visitor.page.request.get(new URL(bakedHref, publicUrl).toString());
  const bakedFile = path.resolve(import.meta.dirname, "../.artifacts/baked-badge.png");
  writeFileSync(bakedFile, await baked.body());
  await visitor.page.goto("/verify");
  await visitor.page.getByLabel(/Or a badge image/).setInputFiles(bakedFile);
  await visitor.page.getByLabel("Earner's email (optional)").fill(recipient);
  await visitor.page.getByRole("button", { name: "Verify" }).click();
  await visitor.page.getByText("This badge is valid.").waitFor();
  expect(await visitor.page.locator('[data-check="recipient"]').textContent()).toContain(`Awarded to ${recipient}`);
  // The image carries the signed Open Badges 3.0 credential too; its proof is what was checked.
  expect(await visitor.page.locator('[data-check="signature"]').textContent()).toContain("eddsa-rdfc-2022 proof holds");
  expect(await scrollsSideways(visitor.page)).toBe(false);
  await expectAccessible(visitor.page, "a verification result at 375 px");
  await screenshot(visitor.page, "verify-page");

  // The credential itself, downloaded from the backpack, pasted as JSON.
  const credentialHref = (await learner.page.getByTestId("credential-download").getAttribute("href"))!;
  const download = await visitor.page.request.get(new URL(credentialHref, publicUrl).toString());
  expect(download.headers()["content-disposition"]).toMatch(/^attachment; filename="credential-.+\.json"$/);
  await visitor.page.goto("/verify");
  await visitor.page.getByLabel("Badge URL or JSON").fill(await download.text());
  await visitor.page.getByRole("button", { name: "Verify" }).click();
  await visitor.page.getByText("This badge is valid.").waitFor();
  expect(await visitor.page.locator('[data-check="schema"]').textContent()).toContain("Open Badges 3.0");
  await visitor.context.close();

  // A second address: verified with a code, a badge awarded to it joins the same backpack.
  const mailbox = await learner.context.newPage();
  const work = uniqueEmail("browser-work");
  await addEmailWithCode(learner.page, mailbox, work);
  await learner.page.getByText(`${work} is added.`).waitFor();
  await awardFromConsole(issuer.page, "Digital Pedagogy", work);

  // A second Laurel account of the same person, with its own badge and authenticator.
  const otherPassword = "second account passphrase 3";
  const otherEmail = await registeredAccount({ label: "browser-second", firstName: "Rosa", password: otherPassword });
  const second = await newPage(browser);
  await signInWithPassword(second.page, otherEmail, otherPassword);
  const { secret: otherSecret } = await setUpTwoStepSignIn(second.page);
  await second.context.close();
  await awardFromConsole(issuer.page, "Formative Assessment", otherEmail);

  // Adding the other account's address leads to linking it with its password and code.
  await addEmailWithCode(learner.page, mailbox, otherEmail);
  await learner.page.getByRole("heading", { name: "Link the other account" }).waitFor();
  await learner.page.getByLabel("Password of the other account").fill(otherPassword);
  await learner.page.getByLabel("Code from the other account's authenticator app").fill(oathtoolCode(otherSecret, 1));
  await learner.page.getByRole("button", { name: "Link accounts" }).click();
  await learner.page.getByText(`The account of ${otherEmail} is now part of this one`).waitFor();
  expect(await learner.page.getByTestId("email-row").count()).toBe(3);
  await screenshot(learner.page, "emails-merged");

  await learner.page.goto("/backpack");
  await learner.page.locator(".badge-card").first().waitFor();
  expect(await learner.page.locator(".badge-card").count()).toBe(3);
  // Each card says to which of the learner's addresses it was awarded.
  await learner.page.locator(".badge-card", { hasText: "Digital Pedagogy" }).getByText(`to ${work}`).first().waitFor();
});

/** On the Account page: sends a code to `address`, reads it in the Mailbox (another tab) and enters it. */
async function addEmailWithCode(page: Page, mailbox: Page, address: string) {
  await page.goto("/account");
  await page.getByLabel("Add an email address").fill(address);
  await page.getByRole("button", { name: "Send a code" }).click();
  await page.getByLabel("Code from the email").waitFor();
  const code = codeFrom(await readMailInMailbox(mailbox, address, "Add this address"));
  await page.getByLabel("Code from the email").fill(code);
  await page.getByRole("button", { name: "Add address" }).click();
}

/** The issuer console's single award form. */
async function awardFromConsole(page: Page, badgeClass: string, email: string) {
  await page.getByLabel("Badge class", { exact: true }).first().selectOption({ label: badgeClass });
  await page.getByLabel("Recipient email").fill(email);
  await page.getByRole("button", { name: "Award", exact: true }).click();
  await page.getByText(`Awarded. We emailed ${email}.`).waitFor();
}
it("an issuer uploads a CSV: a broken file is refused row by row, the fixed one awards every row", async () => {
  const { page } = await newPage(browser, { width: 375 });
  await signInWithPassword(page, "issuer@laurel.local", "laurel-demo-2026");
  await page.getByLabel("Code from the app").waitFor();
  await enterSignInCode(page, oathtoolCode(DEMO_TOTP_SECRET, 1));
  await page.getByRole("heading", { name: "Welcome, Ivan" }).waitFor();
  await page.goto("/issuers");
  await page.getByRole("link", { name: "Laurel Demo Academy" }).waitFor();
  await expectAccessible(page, "/issuers at 375 px");
  await page.getByRole("link", { name: "Laurel Demo Academy" }).click();
  await page.getByRole("heading", { name: "Award from a CSV file" }).waitFor();
  await page.getByRole("heading", { name: "Members" }).waitFor();
  // Owners see who may act for the issuer (the list loads after the heading).
  await page.locator("#members-heading + p + ul").getByText("Ivan Issuer").waitFor();
  expect(await scrollsSideways(page)).toBe(false);

  const dir = path.resolve(import.meta.dirname, "../.artifacts");
  const [a, b] = [uniqueEmail("csv-a"), uniqueEmail("csv-b")];
  const broken = path.join(dir, "broken.csv");
  writeFileSync(broken, `email,name\n${a},Ann\nnot-an-email,Bob\n`);
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(broken);
  await page.getByRole("button", { name: "Upload and award" }).click();
  await page.getByTestId("csv-problems").waitFor();
  expect(await page.getByTestId("csv-problems").textContent()).toContain('Line 3: "not-an-email" is not a valid email address.');

  const fixed = path.join(dir, "fixed.csv");
  writeFileSync(fixed, `email,name\n${a},Ann\n${b},Bob\n`);
  await page.getByLabel("CSV file", { exact: true }).setInputFiles(fixed);
  await page.getByRole("button", { name: "Upload and award" }).click();
  await page.getByText("2 rows: 2 awarded, 0 already awarded earlier.").waitFor();
  await screenshot(page, "csv-report-375");

  // Revoking asks for a reason in a form of its own: an empty one is refused, Cancel changes nothing.
  const row = page.getByTestId("award-row").filter({ hasText: b });
  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: "Cancel" }).click();
  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: "Revoke badge" }).click();
  await row.locator(".field__error").waitFor();
  expect(await row.getByText("Revoked", { exact: true }).count()).toBe(0);
  await row.getByLabel("Reason for revoking").fill("Awarded to the wrong person by mistake.");
  await row.getByRole("button", { name: "Revoke badge" }).click();
  await row.getByText("revoked: Awarded to the wrong person by mistake.").waitFor();
  expect(await scrollsSideways(page)).toBe(false);
});

it("an owner invites an address; the invitee reads the email, registers, accepts and appears as a member", async () => {
  const invitee = uniqueEmail("browser-invitee");
  const owner = await newPage(browser);
  // The test before may have spent the next step's code of the demo account: wait for a new step.
  await new Promise((resolve) => setTimeout(resolve, 30_000 - (Date.now() % 30_000) + 500));
  await signInWithPassword(owner.page, "issuer@laurel.local", "laurel-demo-2026");
  await owner.page.getByLabel("Code from the app").waitFor();
  await enterSignInCode(owner.page, oathtoolCode(DEMO_TOTP_SECRET, 1));
  await owner.page.getByRole("heading", { name: "Welcome, Ivan" }).waitFor();
  await owner.page.goto("/issuers");
  await owner.page.getByRole("link", { name: "Laurel Demo Academy" }).click();
  await owner.page.getByRole("heading", { name: "Members" }).waitFor();
  await owner.page.getByLabel("Email address to invite").fill(invitee);
  await owner.page.getByLabel("Role", { exact: true }).selectOption({ label: "Awarder" });
  await owner.page.getByRole("button", { name: "Send invitation" }).click();
  await owner.page.getByText(`Invitation sent to ${invitee}.`).waitFor();
  // Pending, by address only.
  const pending = owner.page.getByRole("list", { name: "Pending invitations" }).getByRole("listitem").filter({ hasText: invitee });
  await pending.waitFor();
  expect(await pending.textContent()).toContain("invited");
  await screenshot(owner.page, "members-invited");

  // The invitee follows the email's link, signed out: the page names the issuer and the role.
  const guest = await newPage(browser);
  const mail = await readMailInMailbox(guest.page, invitee, "You are invited to Laurel Demo Academy");
  const link = mail.match(/Open the invitation: (\S+)/)?.[1];
  expect(link).toContain("/invitations/");
  await guest.page.goto(link!);
  await guest.page.getByText("You are invited to join Laurel Demo Academy on Laurel as an awarder.").waitFor();
  await guest.page.getByRole("link", { name: "Accept invitation" }).waitFor();
  await expectAccessible(guest.page, "an invitation, signed out");
  await guest.page.getByRole("link", { name: `Create one with ${invitee}` }).click();
  expect(await guest.page.getByLabel("Email").inputValue()).toBe(invitee);
  await guest.page.getByLabel("First name").fill("Ina");
  await guest.page.getByLabel("Last name").fill("Invitee");
  await guest.page.getByLabel("Password").fill("copper lantern meadow 4");
  await guest.page.getByLabel(/I agree to the/).check();
  await guest.page.getByRole("button", { name: "Submit" }).click();
  await guest.page.getByRole("heading", { name: "Thank you for registering" }).waitFor();
  const verifyUrl = guest.page.url();
  const code = codeFrom(await readMailInMailbox(guest.page, invitee, "Activate your Laurel account"));
  await guest.page.goto(verifyUrl);
  await guest.page.getByLabel("Verification code").fill(code);
  await guest.page.getByRole("button", { name: "Next" }).click();
  await guest.page.getByText("Thank you for registering your account.").waitFor();
  // The page's own link, which carries the way back to the invitation (the header has one too).
  await guest.page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
  await guest.page.getByRole("heading", { name: "Sign in" }).waitFor();
  expect(await guest.page.getByLabel("Email").inputValue()).toBe(invitee);
  await guest.page.getByLabel("Password").fill("copper lantern meadow 4");
  await guest.page.getByRole("button", { name: "Sign in" }).click();
  await setUpTwoStepSignIn(guest.page);

  // Back on the invitation, signed in.
  await guest.page.getByRole("button", { name: "Accept invitation" }).waitFor();
  await expectAccessible(guest.page, "an invitation, signed in");
  await guest.page.getByRole("button", { name: "Accept invitation" }).click();
  await guest.page.getByText("You are now a member of Laurel Demo Academy.").waitFor();
  await screenshot(guest.page, "invitation-accepted");

  await owner.page.reload();
  await owner.page.locator("#members-heading + p + ul").getByText("Ina Invitee").waitFor();
  expect(await owner.page.getByRole("list", { name: "Pending invitations" }).getByText(invitee).count()).toBe(0);
}, 240_000);
