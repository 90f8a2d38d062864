import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, BrowserContext, Page, Response } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { issuerWithBadgeClass, signedInAccount } from "../support/api";
import { oathtoolCode } from "../support/authenticator";
import { baseUrl, launchChromium, newPage } from "../support/browser";
import { enterSignInCode, signInWithPassword } from "../support/pages";

let browser: Browser;
let attacker: Server | undefined;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (attacker ? attacker.close(resolve) : resolve(null)));
});

const AWARD = `mutation ($badgeClassId: ID!, $input: AwardInput!) { awardBadge(badgeClassId: $badgeClassId, input: $input) { __typename ... on Award { id publicUrl embedHtml } } }`;

/** A learner with one badge, signed in in a fresh browser context. */
async function signedInLearnerWithBadge() {
  const issuer = await issuerWithBadgeClass("edge-issuer");
  const learner = await signedInAccount("edge-learner");
  const { awardBadge } = await issuer.client.gql(AWARD, {
    badgeClassId: issuer.badgeClassId,
    input: { email: learner.email, narrative: "Chaired the review" },
  });
  const { context, page } = await newPage(browser);
  await signInWithPassword(page, learner.email, learner.password);
  await page.getByLabel("Code from the app").waitFor();
  // The next period's code: the API set-up just used the current one.
  await enterSignInCode(page, oathtoolCode(learner.totpSecret, 1));
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  return { context, page, award: awardBadge as { id: string; publicUrl: string; embedHtml: string } };
}

/** Every Content-Security-Policy violation the page reports, as text. */
function watchViolations(context: BrowserContext): string[] {
  const violations: string[] = [];
  void context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  context.on("console", (message) => {
    if (/CSP violation|Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

function expectPageHeaders(response: Response | null, what: string) {
  const headers = response?.headers() ?? {};
  expect(headers["content-security-policy"], what).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"], what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers["x-frame-options"], what).toBe("DENY");
  expect(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], what).toContain("camera=()");
  expect(headers["x-content-type-options"], what).toBe("nosniff");
}

async function visit(page: Page, path: string, heading: string | RegExp) {
  const response = await page.goto(path);
  await page.getByRole("heading", { name: heading }).first().waitFor();
  return response;
}

it("serves every page with a strict CSP and framing, referrer and permissions policies, and the SPA runs under them", async () => {
  const { context, page, award } = await signedInLearnerWithBadge();
  const violations = watchViolations(context);
  expectPageHeaders(await visit(page, "/", /Welcome/), "/");
  expect((await page.goto("/sign-in"))?.headers()["content-security-policy"]).toContain("script-src 'self'");
  await visit(page, "/backpack", "Backpack");
  await visit(page, `/backpack/${award.id}`, "Open Standards Practitioner");
  await page.getByRole("button", { name: "Accept badge" }).waitFor();
  await visit(page, "/account", "Account");
  await visit(page, "/account/security", "Security");
  await visit(page, "/backpack/collections", "Collections");
  await visit(page, "/verify", /Verify/);
  // The dev mailbox lets emails' inline styles apply in its sandboxed frame; scripts stay 'self'.
  expectPageHeaders(await page.goto("/dev/mailbox"), "/dev/mailbox");
  await page.locator(".mailbox__html").waitFor();

  // The Worker's own pages: the public badge page (no script at all) and its image.
  const publicPage = await page.goto(award.publicUrl);
  expectPageHeaders(publicPage, "public badge page");
  expect(publicPage?.headers()["content-security-policy"]).toContain("default-src 'none'");
  await page.locator("h1").waitFor();
  const image = await page.request.get(
    await page
      .locator("img")
      .first()
      .getAttribute("src")
      .then((src) => src!),
  );
  expect(image.status()).toBe(200);
  expect(image.headers()["x-frame-options"]).toBe("DENY");
  expect(image.headers()["cross-origin-resource-policy"]).toBe("cross-origin");
  // Sign-in page while signed out, in a context of its own.
  const visitor = await newPage(browser);
  const visitorViolations = watchViolations(visitor.context);
  expectPageHeaders(await visit(visitor.page, "/sign-in", "Sign in"), "/sign-in");
  await visit(visitor.page, "/register", "Create your Laurel account");
  expect([...violations, ...visitorViolations]).toEqual([]);
  await visitor.context.close();
  await context.close();
});

it("a page on another origin of the same site cannot read the signed-in user's data or frame Laurel, but reads public badges and shows the embed snippet", async () => {
  const { context, award } = await signedInLearnerWithBadge();
  // A page served from another port of 127.0.0.1: same site, so the SameSite=Lax session cookie goes along.
  attacker = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html><title>Other site</title>
      <div id="embed">${award.embedHtml}</div><iframe id="frame" src="${baseUrl()}/account"></iframe>`);
  });
  await new Promise<void>((resolve) => attacker!.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}`;
  const page = await context.newPage();
  await page.goto(origin);

  const results = await page.evaluate(async (base) => {
    const attempt = async (init: RequestInit, url = `${base}/graphql?query=${encodeURIComponent("{ me { primaryEmail } }")}`) => {
      try {
        const response = await fetch(url, { credentials: "include", ...init });
        return `read ${response.status}: ${(await response.text()).slice(0, 200)}`;
      } catch (error) {
        return `blocked: ${(error as Error).name}`;
      }
    };
    return {
      simpleGet: await attempt({}),
      getWithHeader: await attempt({ headers: { "x-laurel-csrf": "1" } }),
      postWithHeader: await attempt({
        method: "POST",
        headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
        body: JSON.stringify({ query: "{ me { primaryEmail } }" }),
      }),
      simplePost: await attempt({
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ query: "{ me { primaryEmail } }" }),
      }),
    };
  }, baseUrl());
  for (const [attempt, outcome] of Object.entries(results)) expect(outcome, attempt).toMatch(/^blocked/);

  const assertion = await page.evaluate(async (url) => {
    const response = await fetch(url, { headers: { accept: "application/ld+json" } });
    return (await response.json()) as { id: string; type: string };
  }, award.publicUrl);
  expect(assertion.type).toBe("Assertion");

  // The embed snippet: the badge image, linked to its verification page, loads on the other site.
  const image = page.locator("#embed img");
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  expect(await page.locator("#embed a").getAttribute("href")).toBe(award.publicUrl);
  // Laurel itself refuses to be framed there.
  await expect
    .poll(() =>
      page
        .frames()
        .find((f) => f !== page.mainFrame())
        ?.url(),
    )
    .toMatch(/^chrome-error:/);
  await context.close();
});
