import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { oathtoolCode } from "../support/authenticator";
import { expectAccessible } from "../support/axe";
import { launchChromium, mailsOnceArrived, newPage, uniqueEmail } from "../support/browser";
import { codeFrom, DEMO_TOTP_SECRET, enterSignInCode, signInWithPassword } from "../support/pages";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The path of the ticket link in the newest mail to `address` about `subject`. */
async function ticketLink(address: string, subject: string): Promise<string> {
  const [mail] = await mailsOnceArrived(address, subject);
  const url = /https?:\/\/\S+\/help\/requests\/\S+\?token=[A-Za-z0-9_-]+/.exec(mail!.text)?.[0];
  expect(url, `no ticket link in:\n${mail!.text}`).toBeTruthy();
  const { pathname, search } = new URL(url!);
  return pathname + search;
}

it("a signed-out visitor submits a request with an emailed code; staff add a note and reply; the requester answers; staff solve; the requester rates it", async () => {
  const email = uniqueEmail("locked-out");
  const subject = `Lost my phone ${email.slice(11, 19)}`;
  const visitor = await newPage(browser);
  await visitor.page.goto("/help");
  await visitor.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Submit a ticket" }).click();
  await visitor.page.getByRole("heading", { name: "Submit a request", level: 1 }).waitFor();
  expect(visitor.page.url()).toContain("/help/requests/new?from=%2Fhelp");
  // From the form itself, the header's link still names the page the visitor came from.
  expect(
    await visitor.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Submit a ticket" }).getAttribute("href"),
  ).toBe("/help/requests/new?from=%2Fhelp");
  await expectAccessible(visitor.page, "the Submit a request page");

  await visitor.page.getByLabel("Your email address").fill(email);
  await visitor.page.getByLabel("Subject").fill(subject);
  await visitor.page.getByLabel("What is it about?").selectOption({ label: "Sign-in and security" });
  await visitor.page.getByLabel("Description").fill("My phone was stolen, so I have **no authenticator** any more.");
  await visitor.page.getByRole("button", { name: "Email me a code" }).click();
  await visitor.page.getByLabel("Code from the email").waitFor();
  await expectAccessible(visitor.page, "the code step");
  const [codeMail] = await mailsOnceArrived(email, "Confirm your Laurel support request");
  await visitor.page.getByLabel("Code from the email").fill(codeFrom(codeMail!.text));
  await visitor.page.getByRole("button", { name: "Send request" }).click();
  await visitor.page.getByText("Request sent").waitFor();
  const link = await ticketLink(email, "Request received");

  const staff = await newPage(browser);
  await signInWithPassword(staff.page, "staff@laurel.local", "laurel-demo-2026");
  await staff.page.getByLabel("Code from the app").waitFor();
  await enterSignInCode(staff.page, oathtoolCode(DEMO_TOTP_SECRET));
  await staff.page.getByRole("heading", { name: "Welcome, Sam" }).waitFor();
  await staff.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Support desk" }).click();
  await staff.page.getByRole("heading", { name: "Support desk", level: 1 }).waitFor();
  await staff.page.getByLabel("State").selectOption({ label: "New" });
  await staff.page.getByRole("link", { name: subject }).click();
  await staff.page.getByRole("heading", { name: subject, level: 1 }).waitFor();
  await staff.page.getByText("No Laurel account uses").waitFor();
  await expectAccessible(staff.page, "a desk ticket");

  await staff.page.getByLabel("Internal note (staff only)").check();
  await staff.page.getByLabel("Message").fill("Note-for-staff: ask for the badge id to confirm identity.");
  await staff.page.getByRole("button", { name: "Send", exact: true }).click();
  await staff.page.getByText("Note-for-staff").waitFor();
  await staff.page.getByLabel("Public reply (emailed to the requester)").check();
  await staff.page.getByLabel("Message").fill("Sorry to hear that. Which badge did you earn last?");
  await staff.page.getByLabel("Then set the state to").selectOption({ label: "Pending" });
  await staff.page.getByRole("button", { name: "Send", exact: true }).click();
  await staff.page.getByText("State: Pending").waitFor();

  const replyLink = await ticketLink(email, "New reply");
  const replyMail = (await mailsOnceArrived(email, "New reply"))[0]!;
  expect(replyMail.text).toContain("Which badge did you earn last?");
  expect(replyMail.text).not.toContain("Note-for-staff");
  await visitor.page.goto(replyLink);
  await visitor.page.getByRole("heading", { name: subject, level: 1 }).waitFor();
  await visitor.page.getByText("Which badge did you earn last?").waitFor();
  expect(await visitor.page.getByText("Note-for-staff").count()).toBe(0);
  await visitor.page.getByText("Status: Awaiting your reply").waitFor();
  await expectAccessible(visitor.page, "the requester's ticket");
  await visitor.page.getByLabel("Your reply").fill("Formative Assessment, in November.");
  await visitor.page.getByRole("button", { name: "Send reply" }).click();
  await visitor.page.getByText("Formative Assessment, in November.").waitFor();
  await visitor.page.getByText("Status: Open").waitFor();
  // The first email's link opens the same ticket.
  expect(link.split("?")[0]).toBe(replyLink.split("?")[0]);

  await staff.page.reload();
  await staff.page.getByText("Formative Assessment, in November.").waitFor();
  await staff.page.getByRole("button", { name: "Mark solved" }).click();
  await staff.page.getByText("State: Solved").waitFor();

  await visitor.page.reload();
  await visitor.page.getByRole("heading", { name: "How would you rate the support you received?" }).waitFor();
  await expectAccessible(visitor.page, "a solved ticket with the rating form");
  await visitor.page.getByLabel("Good, I'm satisfied").check();
  await visitor.page.getByLabel("Comment (optional)").fill("Quick and kind.");
  await visitor.page.getByRole("button", { name: "Send rating" }).click();
  await visitor.page.getByText("You rated it Good, I'm satisfied.").waitFor();

  await staff.page.reload();
  await staff.page.getByText("Rated good").waitFor();
});

it("a signed-in learner finds the demo tickets under My Tickets", async () => {
  const { page } = await newPage(browser);
  await signInWithPassword(page, "learner@laurel.local", "laurel-demo-2026");
  await page.getByLabel("Code from the app").waitFor();
  await enterSignInCode(page, oathtoolCode(DEMO_TOTP_SECRET, 1));
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "My Tickets" }).click();
  await page.getByRole("heading", { name: "My Tickets", level: 1 }).waitFor();
  await page.getByRole("link", { name: "New phone: my authenticator codes are gone" }).click();
  await page.getByText("Status: Awaiting your reply").waitFor();
  expect(await page.getByText("no reset needed yet").count()).toBe(0);
  await expectAccessible(page, "My Tickets' ticket");
});
