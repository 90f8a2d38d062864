import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { expectAccessible } from "../support/axe";
import { launchChromium, uniqueEmail } from "../support/browser";
import { type LaurelServer, startLaurelServer } from "../support/server";
import { startTurnstilePeer, type TurnstilePeer } from "../turnstile-peer/peer.mjs";

// A Laurel of its own with Turnstile on (the shared one has it off, as a deployment without a
// site key does), against the loopback Turnstile: its widget script and its siteverify.
const PORT = Number(process.env.LAUREL_TEST_PORT ?? 8790) + 1;

let browser: Browser;
let peer: TurnstilePeer;
let laurel: LaurelServer;
beforeAll(async () => {
  peer = await startTurnstilePeer();
  laurel = await startLaurelServer(PORT, [
    "TURNSTILE_SITE_KEY=laurel-test-site-key",
    "TURNSTILE_SECRET_KEY=laurel-test-secret-key",
    `TURNSTILE_SITEVERIFY_URL=${peer.siteverifyUrl}`,
    `TURNSTILE_SCRIPT_URL=${peer.scriptUrl}`,
  ]);
  browser = await launchChromium();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  laurel?.stop();
  await peer?.close();
});

async function page(): Promise<Page> {
  const context = await browser.newContext({ baseURL: laurel.base, viewport: { width: 1280, height: 900 } });
  return context.newPage();
}

it("registration asks the visitor to pass the human test, and goes ahead once they do", async () => {
  const p = await page();
  await p.goto("/register");
  await p.getByLabel("First name").fill("Dorothy");
  await p.getByLabel("Last name").fill("Vaughan");
  await p.getByLabel("Email").fill(uniqueEmail("turnstile"));
  await p.getByLabel("Password").fill("fortran punch cards 1961");
  await p.getByLabel(/I agree to the/).check();
  await p.getByLabel("Verify you are human").waitFor();
  await expectAccessible(p, "registration with Turnstile");
  await p.getByRole("button", { name: "Submit" }).click();
  await p.getByText("Confirm that you are human, then send the form again.").waitFor();
  await p.getByLabel("Verify you are human").check();
  await p.getByRole("button", { name: "Submit" }).click();
  await p.getByRole("heading", { name: "Thank you for registering" }).waitFor();
  await p.context().close();
});

it("password reset asks for the human test too", async () => {
  const p = await page();
  await p.goto("/forgot-password");
  await p.getByLabel("Email").fill(uniqueEmail("turnstile-reset"));
  await p.getByLabel("Verify you are human").check();
  await p.getByRole("button", { name: "Email me a code" }).click();
  await p.waitForURL(/\/reset-password\?/);
  expect(p.url()).toContain("sent=1");
  await p.context().close();
});
