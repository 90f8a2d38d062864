import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signedInAccount } from "../support/api";
import { oathtoolCode } from "../support/authenticator";
import { launchChromium, newPage } from "../support/browser";
import { DEMO_TOTP_SECRET, enterSignInCode, screenshot, signInWithPassword } from "../support/pages";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, email: string, password: string, totpSecret: string, firstName: string) {
  await signInWithPassword(page, email, password);
  await page.getByLabel("Code from the app").waitFor();
  // A step ahead: the demo issuer's and the learner's set-up codes may have used this step's.
  await enterSignInCode(page, oathtoolCode(totpSecret, 1));
  await page.getByRole("heading", { name: `Welcome, ${firstName}` }).waitFor();
}

async function award(page: Page, badgeClass: string, email: string) {
  await page.getByLabel("Badge class", { exact: true }).first().selectOption({ label: badgeClass });
  await page.getByLabel("Recipient email").fill(email);
  await page.getByRole("button", { name: "Award", exact: true }).click();
  await page.getByText(`Awarded. We emailed ${email}.`).waitFor();
}

it("an issuer builds a two-level pathway and invites a learner, who accepts from My Pathways, earns the badges and receives the completion badge", async () => {
  const learner = await signedInAccount("pathway-learner");
  const name = `Assessment Practice ${Date.now()}`;

  const issuer = await newPage(browser);
  await signIn(issuer.page, "issuer@laurel.local", "laurel-demo-2026", DEMO_TOTP_SECRET, "Ivan");
  await issuer.page.getByRole("navigation").getByRole("link", { name: "Issuers" }).click();
  await issuer.page.getByRole("link", { name: "Laurel Demo Academy" }).click();
  await issuer.page.getByRole("heading", { name: "Pathways" }).waitFor();
  await issuer.page.getByLabel("Pathway name").fill(name);
  await issuer.page.getByLabel("Completion badge").selectOption({ label: "Assessment Leader" });
  await issuer.page.getByRole("button", { name: "Create pathway" }).click();

  // The builder: a step, and a step inside it, each requiring a badge.
  await issuer.page.getByRole("heading", { name }).waitFor();
  await issuer.page.getByRole("button", { name: "Add a step", exact: true }).click();
  await issuer.page.getByLabel("Step 1 name").fill("Foundations");
  await issuer.page.getByRole("group", { name: "Step 1 requires" }).getByLabel("Formative Assessment", { exact: true }).check();
  await issuer.page.getByRole("button", { name: "Add a step inside Step 1" }).click();
  await issuer.page.getByLabel("Step 1.1 name").fill("Digital practice");
  await issuer.page.getByRole("group", { name: "Step 1.1 requires" }).getByLabel("Digital Pedagogy", { exact: true }).check();
  await expect
    .poll(() => issuer.page.getByTestId("pathway-preview").textContent())
    .toBe(
      'Completing the pathway takes all of: Foundations (all of: "Formative Assessment"; Digital practice (all of: "Digital Pedagogy")).',
    );
  await issuer.page.getByRole("button", { name: "Save steps" }).click();
  await issuer.page.getByText("Steps saved.").waitFor();
  await issuer.page.getByRole("button", { name: "Publish pathway" }).click();
  await issuer.page.getByRole("button", { name: "Archive pathway" }).waitFor();
  await screenshot(issuer.page, "pathway-builder");

  await issuer.page.getByLabel("Email addresses").fill(learner.email);
  await issuer.page.getByRole("button", { name: "Send invitations" }).click();
  await issuer.page.getByText("Invited 1; 0 had been invited before.").waitFor();

  // The learner lost the email: they sign in and find the invitation under Pathways.
  const guest = await newPage(browser);
  await signIn(guest.page, learner.email, learner.password, learner.totpSecret, "Iris");
  await guest.page.getByRole("navigation").getByRole("link", { name: "Pathways" }).click();
  const invitations = guest.page.getByRole("region", { name: "Invitations" });
  await invitations.getByRole("link", { name }).waitFor();
  await invitations.getByRole("listitem").filter({ hasText: name }).getByRole("button", { name: "Accept" }).click();
  await guest.page.getByText(`You follow "${name}" now.`).waitFor();
  const mine = guest.page.getByRole("region", { name: "My Pathways" }).getByRole("listitem").filter({ hasText: name });
  await mine.getByText("0 of 1 steps done").waitFor();
  await screenshot(guest.page, "my-pathways");

  // The pathway page says what is missing and where to learn how to earn it.
  await mine.getByRole("link", { name }).click();
  await guest.page.getByRole("link", { name: "How to earn Formative Assessment" }).waitFor();
  await guest.page.getByRole("link", { name: "How to earn Digital Pedagogy" }).waitFor();

  // The issuer awards both badges; the completion badge follows on its own.
  await issuer.page.getByRole("link", { name: "Back to the issuer console" }).click();
  await issuer.page.getByRole("heading", { name: "Award a badge" }).waitFor();
  await award(issuer.page, "Formative Assessment", learner.email);
  await award(issuer.page, "Digital Pedagogy", learner.email);

  await expect
    .poll(
      async () => {
        await guest.page.goto("/pathways");
        const item = guest.page.getByRole("region", { name: "My Pathways" }).getByRole("listitem").filter({ hasText: name });
        await item.waitFor();
        return (await item.textContent()) ?? "";
      },
      { timeout: 20_000, interval: 1_000 },
    )
    .toContain("Completed");
  await expect
    .poll(
      async () => {
        await guest.page.goto("/backpack");
        await guest.page.getByRole("heading", { name: "Backpack" }).waitFor();
        return guest.page.getByText("Assessment Leader").count();
      },
      { timeout: 20_000, interval: 1_000 },
    )
    .toBeGreaterThan(0);
  await screenshot(guest.page, "pathway-completed");
  await issuer.context.close();
  await guest.context.close();
});
