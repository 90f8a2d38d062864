import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signedInAccount } from "../support/api";
import { oathtoolCode } from "../support/authenticator";
import { expectAccessible } from "../support/axe";
import { launchChromium, newPage } from "../support/browser";
import { DEMO_TOTP_SECRET, enterSignInCode, screenshot, signInWithPassword } from "../support/pages";

// A pathway picture need not be square.
const PATHWAY_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="160" viewBox="0 0 320 160"><rect width="320" height="160" fill="#2e7d32"/><circle cx="80" cy="80" r="40" fill="#fff"/></svg>`;

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
  const picture = path.resolve(import.meta.dirname, "../.artifacts/pathway-picture.svg");
  writeFileSync(picture, PATHWAY_SVG);
  await issuer.page.getByLabel(/^Pathway image/).setInputFiles(picture);
  await issuer.page.getByRole("button", { name: "Create pathway" }).click();

  // The builder: a step, and a step inside it, each requiring a badge.
  await issuer.page.getByRole("heading", { name }).waitFor();
  await issuer.page.getByRole("button", { name: "Add a step", exact: true }).click();
  await issuer.page.getByLabel("Step 1 name").fill("Foundations");
  await issuer.page.getByRole("group", { name: "Step 1 requires" }).getByLabel("Formative Assessment", { exact: true }).check();
  await issuer.page.getByRole("button", { name: "Add a step inside Step 1" }).click();
  await issuer.page.getByLabel("Step 1.1 name").fill("Digital practice");
  // Either badge will do for the inner step; one of them is a micro-credential of the demo issuer.
  await issuer.page.getByRole("group", { name: "Step 1.1 requires" }).getByLabel("Digital Pedagogy", { exact: true }).check();
  await issuer.page.getByRole("group", { name: "Step 1.1 requires" }).getByLabel("Feedback for Learning", { exact: true }).check();
  await issuer.page.getByLabel("Step 1.1 needs").selectOption("AT_LEAST");
  await expect
    .poll(() => issuer.page.getByTestId("pathway-preview").textContent())
    .toBe(
      'Completing the pathway takes all of: Foundations (all of: "Formative Assessment"; Digital practice (at least 1 of: "Digital Pedagogy"; "Feedback for Learning")).',
    );
  await issuer.page.getByRole("button", { name: "Save steps" }).click();
  await issuer.page.getByText("Steps saved.").waitFor();
  await issuer.page.getByRole("button", { name: "Publish pathway" }).click();
  await issuer.page.getByRole("button", { name: "Archive pathway" }).waitFor();
  await issuer.page.getByRole("img", { name: `${name}, as it looks now` }).waitFor();
  await screenshot(issuer.page, "pathway-builder");
  await expectAccessible(issuer.page, "pathway builder");

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
  expect(await mine.locator("img.pathway-picture").getAttribute("src")).toMatch(/\/public\/images\/pathways\//);
  await screenshot(guest.page, "my-pathways");
  await expectAccessible(guest.page, "My Pathways");

  // The pathway page says what is missing and where to learn how to earn it; a micro-credential is started from its page.
  await mine.getByRole("link", { name }).click();
  await guest.page.getByRole("link", { name: "How to earn Formative Assessment" }).waitFor();
  await guest.page.getByRole("link", { name: "How to earn Digital Pedagogy" }).waitFor();
  const start = guest.page.getByRole("link", { name: "Start this micro-credential (Feedback for Learning)" });
  expect(new URL((await start.getAttribute("href"))!).pathname).toMatch(/^\/micro-credentials\/[^/]+$/);
  await expectAccessible(guest.page, "pathway page");

  // The learner shares their progress: anyone with the link sees the tree, never their email; withdrawn, it stops.
  await guest.page.getByRole("button", { name: "Share my progress" }).click();
  const shared = (await guest.page.getByTestId("progress-link").getAttribute("href"))!;
  await expectAccessible(guest.page, "pathway page, shared");
  const visitor = await newPage(browser);
  await visitor.page.goto(shared);
  await visitor.page.getByRole("heading", { name }).waitFor();
  await visitor.page.getByText("Digital practice").waitFor();
  expect(await visitor.page.content()).not.toContain(learner.email);
  await expectAccessible(visitor.page, "shared progress page");
  await guest.page.getByRole("button", { name: "Stop sharing" }).click();
  await guest.page.getByText("Your progress is no longer shared").waitFor();
  expect((await visitor.page.goto(shared))?.status()).toBe(404);
  await visitor.context.close();

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
