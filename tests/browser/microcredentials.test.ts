import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { issuerWithBadgeClass, signedInAccount } from "../support/api";
import { oathtoolCode } from "../support/authenticator";
import { expectAccessible } from "../support/axe";
import { launchChromium, newPage } from "../support/browser";
import { enterSignInCode, screenshot, scrollsSideways } from "../support/pages";

// The whole micro-credential loop in the SPA: an owner defines it, a learner drafts and submits
// with a file, the assessor returns it with feedback, the learner resubmits, the assessor
// awards, and the badge carries its evidence in the backpack and on its public page.

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const artifacts = path.resolve(import.meta.dirname, "../.artifacts");
const PDF = "%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/** Password, then a code from oathtool one step ahead (the API set-up spent the current one). */
async function signIn(page: Page, email: string, password: string, secret: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByLabel("Code from the app").waitFor();
  await enterSignInCode(page, oathtoolCode(secret, 1));
}

it("a learner drafts and submits with a file, is returned with feedback, resubmits, is awarded, and the badge shows its evidence", async () => {
  mkdirSync(artifacts, { recursive: true });
  const owner = await issuerWithBadgeClass("mc-owner");
  const learnerAccount = await signedInAccount("mc-learner");

  // The owner makes the badge class a micro-credential in the console, with blind review.
  const assessor = await newPage(browser);
  await assessor.page.goto("/sign-in");
  await signIn(assessor.page, owner.email, owner.password, owner.totpSecret);
  await assessor.page.getByRole("heading", { name: /^Welcome/ }).waitFor();
  await assessor.page.goto(`/issuers/${owner.issuerId}`);
  await assessor.page.getByRole("link", { name: "Make it a micro-credential: Open Standards Practitioner" }).click();
  await assessor.page.getByRole("heading", { name: "Micro-credential: Open Standards Practitioner" }).waitFor();
  await expectAccessible(assessor.page, "the micro-credential editor");
  await assessor.page.getByRole("button", { name: "Make it a micro-credential" }).click();
  // Nothing filled in: each problem is said at its field.
  await assessor.page.locator("#main .field__error").first().waitFor();
  expect(await assessor.page.locator("#main .field__error").count()).toBeGreaterThan(1);
  await assessor.page.getByLabel("Competency statement").fill("Publishes credentials that independent verifiers accept.");
  await assessor.page.getByLabel("Key method").fill("Issue, verify with an independent library, fix what it reports.");
  await assessor.page.getByLabel("Criterion 1 name").fill("Credentials verify");
  await assessor.page.getByLabel("Blind review: hide the learner's name and email from assessors until the decision").check();
  await assessor.page.getByRole("button", { name: "Make it a micro-credential" }).click();
  await assessor.page.getByText("Saved. Learners read it on the").waitFor();
  await screenshot(assessor.page, "micro-credential-editor");

  // A visitor with no account reads it and starts: through sign-in and back.
  const learner = await newPage(browser);
  await learner.page.goto("/");
  await learner.page.getByRole("navigation").getByRole("link", { name: "Micro-credentials" }).click();
  await learner.page.getByRole("heading", { name: "Micro-credentials", exact: true }).waitFor();
  await expectAccessible(learner.page, "the micro-credential catalogue");
  await learner.page.locator(`a[href="/micro-credentials/${owner.badgeClassId}"]`).click();
  await learner.page.getByRole("heading", { name: "Open Standards Practitioner" }).waitFor();
  await learner.page.getByRole("heading", { name: "How it is assessed" }).waitFor();
  expect(await learner.page.getByText("Usually reviewed within 14 days of submitting.").count()).toBe(1);
  expect(await learner.page.locator(".rubric").textContent()).toContain("Demonstratedneeded to pass");
  await expectAccessible(learner.page, "the public micro-credential page");
  await screenshot(learner.page, "micro-credential-public");
  await learner.page.getByRole("link", { name: "Start this micro-credential" }).click();
  await learner.page.getByRole("heading", { name: "Sign in" }).waitFor();
  await signIn(learner.page, learnerAccount.email, learnerAccount.password, learnerAccount.totpSecret);
  await learner.page.waitForURL(/\/submissions\/[0-9a-f-]{36}$/);
  const submissionUrl = learner.page.url();
  await learner.page.getByRole("heading", { name: "Your answers" }).waitFor();
  expect(await learner.page.getByTestId("submission-state").textContent()).toBe("Draft");

  // The draft saves as the learner types.
  await learner.page.getByLabel("Your answer: Overview").fill("I run the credentials of a small training provider.");
  await learner.page
    .getByTestId("save-status")
    .getByText(/^Saved/)
    .waitFor();
  await learner.page.getByLabel("Public summary of your evidence (optional)").fill("Issued credentials that two verifiers accepted.");
  // A file of a type the part does not take is refused before sending; a mislabelled one by the Worker.
  const notes = path.join(artifacts, "notes.txt");
  writeFileSync(notes, "just notes");
  await learner.page.getByLabel("File: Work example").setInputFiles(notes);
  await learner.page.getByText("notes.txt is not one of the types this part takes: PDF, PNG image, JPEG image.").waitFor();
  const fake = path.join(artifacts, "fake-plan.pdf");
  writeFileSync(fake, "this is not a PDF at all");
  await learner.page.getByLabel("File: Work example").setInputFiles(fake);
  await learner.page.getByText(/this file is none of those/).waitFor();
  const plan = path.join(artifacts, "plan.pdf");
  writeFileSync(plan, PDF);
  await learner.page.getByLabel("File: Work example").setInputFiles(plan);
  await learner.page.getByText("Uploaded and saved.").waitFor();
  await learner.page.getByTestId("current-file").getByRole("link", { name: "plan.pdf" }).waitFor();
  // Submitting with a required part empty is refused at that part.
  await learner.page.getByRole("button", { name: "Submit for review" }).click();
  await learner.page.getByRole("button", { name: "Yes, submit" }).click();
  await learner.page.getByText('Complete "Reflection" before you submit.').waitFor();
  await learner.page.getByLabel("Your answer: Reflection").fill("The first verifier refused an unsigned status list; I fixed it.");
  await learner.page
    .getByTestId("save-status")
    .getByText(/^Saved/)
    .waitFor();
  await expectAccessible(learner.page, "the draft editor");
  await screenshot(learner.page, "submission-draft");
  await learner.page.getByRole("button", { name: "Submit for review" }).click();
  await learner.page.getByRole("button", { name: "Yes, submit" }).click();
  await learner.page.getByTestId("submission-state").getByText("Submitted").waitFor();
  await learner.page.getByText(/Usually reviewed within 14 days; we email you the decision/).waitFor();

  // The assessor's queue: oldest first, with counts and the learner's name hidden.
  await assessor.page.goto(`/issuers/${owner.issuerId}`);
  await assessor.page.getByRole("link", { name: "Review submissions" }).click();
  await assessor.page.getByRole("heading", { name: /^Submissions to review/ }).waitFor();
  const row = assessor.page.getByTestId("queue-row").filter({ hasText: "Open Standards Practitioner" });
  await row.waitFor();
  expect(await row.textContent()).toContain("Hidden (blind review)");
  expect(await assessor.page.getByTestId("count-submitted").textContent()).toBe("1");
  await expectAccessible(assessor.page, "the assessor queue");
  await screenshot(assessor.page, "review-queue");
  await row.getByRole("link", { name: /^Review/ }).click();
  await assessor.page.getByRole("heading", { name: "Review: Open Standards Practitioner" }).waitFor();
  expect(await assessor.page.getByTestId("learner").textContent()).toContain("Hidden");
  expect(await assessor.page.getByTestId("learner").textContent()).not.toContain(learnerAccount.email);
  await assessor.page.getByRole("button", { name: "Claim for review" }).click();
  await assessor.page.getByTestId("claimed-by-me").waitFor();
  // Every part, and the file through its signed link.
  await assessor.page.getByText("I run the credentials of a small training provider.").waitFor();
  const fileLink = assessor.page.getByRole("link", { name: "Download plan.pdf" });
  const file = await assessor.page.request.get((await fileLink.getAttribute("href"))!);
  expect(file.status()).toBe(200);
  expect((await file.body()).toString("latin1")).toBe(PDF);
  await expectAccessible(assessor.page, "the review page");

  // An award below the passing level, and a return without feedback, are refused at their fields.
  await assessor.page
    .getByRole("group", { name: "Credentials verify" })
    .getByLabel(/^Not yet demonstrated/)
    .check();
  await assessor.page.getByLabel("Award the badge").check();
  await assessor.page.getByRole("button", { name: "Record decision" }).click();
  await assessor.page
    .locator("#decision-error")
    .getByText(/An award needs every criterion at its required level/)
    .waitFor();
  await assessor.page.getByLabel("Return for revision").check();
  await assessor.page.getByRole("button", { name: "Record decision" }).click();
  await assessor.page.getByText("Tell the learner what to revise.").waitFor();
  await assessor.page.getByLabel("Comment on Credentials verify (optional)").fill("The status list link is missing.");
  await assessor.page.getByLabel("What the learner should revise").fill("Add the status list and show the second verifier's report.");
  await assessor.page.getByRole("button", { name: "Record decision" }).click();
  await assessor.page.getByText("Returned for revision. We told the learner.").waitFor();
  await screenshot(assessor.page, "review-returned");

  // The learner reads the feedback and resubmits with a note.
  await learner.page.goto(submissionUrl);
  await learner.page.getByTestId("submission-state").getByText("Returned for revision").waitFor();
  const feedback = learner.page.locator(".alert").getByTestId("review-feedback");
  await feedback.getByText("Add the status list and show the second verifier's report.").waitFor();
  expect(await feedback.textContent()).toContain("The status list link is missing.");
  expect(await feedback.textContent()).toContain("Not yet demonstrated");
  await learner.page.getByLabel("Your answer: Reflection").fill("I added the status list; the second verifier's report is attached.");
  await learner.page
    .getByTestId("save-status")
    .getByText(/^Saved/)
    .waitFor();
  await learner.page.getByLabel("Note to the assessor (optional)").fill("Status list added, see the reflection.");
  await expectAccessible(learner.page, "a returned submission");
  await learner.page.getByRole("button", { name: "Resubmit for review" }).click();
  await learner.page.getByRole("button", { name: "Yes, resubmit" }).click();
  await learner.page.getByTestId("submission-state").getByText("Resubmitted").waitFor();
  await learner.page.goto("/submissions");
  await learner.page.getByTestId("submission-row").filter({ hasText: "Open Standards Practitioner" }).getByText("Resubmitted").waitFor();
  await expectAccessible(learner.page, "my submissions");

  // The assessor awards the second attempt.
  await assessor.page.goto(`/issuers/${owner.issuerId}/reviews?state=RESUBMITTED`);
  const again = assessor.page.getByTestId("queue-row").filter({ hasText: "attempt 2" });
  await again.getByRole("link", { name: /^Review/ }).click();
  await assessor.page.getByRole("status").getByText("Status list added, see the reflection.").waitFor();
  await assessor.page.getByRole("button", { name: "Claim for review" }).click();
  await assessor.page.getByTestId("claimed-by-me").waitFor();
  await assessor.page
    .getByRole("group", { name: "Credentials verify" })
    .getByLabel(/^Demonstrated/)
    .check();
  await assessor.page.getByLabel("Award the badge").check();
  await assessor.page.getByLabel("Feedback for the learner").fill("Both verifiers accept your credentials.");
  await assessor.page.getByRole("button", { name: "Record decision" }).click();
  await assessor.page.getByText("Awarded. We told the learner.").waitFor();

  // The badge is in the backpack with its evidence, and on its public page.
  await learner.page.goto(submissionUrl);
  await learner.page.getByTestId("submission-state").getByText("Awarded").waitFor();
  expect(await learner.page.locator(".attempt").count()).toBe(2);
  await learner.page.getByRole("link", { name: "See the badge in your backpack" }).click();
  await learner.page.getByRole("heading", { name: "Open Standards Practitioner" }).waitFor();
  await learner.page.getByRole("heading", { name: "Evidence" }).waitFor();
  await learner.page.getByText("Issued credentials that two verifiers accepted.").waitFor();
  await learner.page.getByText("Both verifiers accept your credentials.").first().waitFor();
  const publicUrl = (await learner.page.getByTestId("public-link").textContent())!;
  const visitor = await newPage(browser, { width: 375 });
  await visitor.page.goto(publicUrl);
  await visitor.page.getByRole("heading", { name: "Open Standards Practitioner" }).waitFor();
  expect(await visitor.page.locator(".status").textContent()).toBe("Valid");
  expect(await visitor.page.content()).toContain("Issued credentials that two verifiers accepted.");
  // Files stay private: the public page names none.
  expect(await visitor.page.content()).not.toContain("plan.pdf");
  await screenshot(visitor.page, "micro-credential-badge-public");

  // The pages work on a phone too.
  await visitor.page.goto(`/micro-credentials/${owner.badgeClassId}`);
  await visitor.page.getByRole("heading", { name: "How it is assessed" }).waitFor();
  expect(await scrollsSideways(visitor.page)).toBe(false);
  await visitor.context.close();
  await learner.context.close();
  await assessor.context.close();
}, 240_000);
