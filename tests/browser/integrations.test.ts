import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { issuerWithBadgeClass } from "../support/api";
import { oathtoolCode } from "../support/authenticator";
import { expectAccessible } from "../support/axe";
import { baseUrl, launchChromium, newPage, uniqueEmail } from "../support/browser";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const AWARD = `mutation ($badgeClassId: ID!, $email: String!) {
  awardBadge(badgeClassId: $badgeClassId, input: { email: $email }) { __typename ... on Award { recipientEmail } }
}`;

/** What an integration does with the token: a plain HTTPS call, no cookies, no CSRF header. */
const awardWith = (token: string, badgeClassId: string, email: string) =>
  fetch(`${baseUrl()}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: AWARD, variables: { badgeClassId, email } }),
  });

it("an owner creates an API token in the console, an integration awards with it, and revoking it stops the integration at once", async () => {
  const { client, totpSecret, issuerId, badgeClassId } = await issuerWithBadgeClass("api-token-owner");
  const { context, page } = await newPage(browser);
  await context.addCookies(client.browserCookies());
  await page.goto(`/issuers/${issuerId}`);
  const panel = page.getByRole("region", { name: "API tokens" });
  await panel.getByText("No tokens yet.").waitFor();

  // Nothing is made without a scope, and the form says where the problem is.
  await panel.getByLabel("Token name").fill("Moodle course completions");
  await panel.getByLabel("Code from your authenticator app").fill(oathtoolCode(totpSecret, 1));
  await panel.getByRole("button", { name: "Create token" }).click();
  await panel.getByText("Choose at least one scope.").waitFor();

  await panel.getByRole("checkbox", { name: /awards:write/ }).check();
  await panel.getByLabel("Code from your authenticator app").fill(oathtoolCode(totpSecret, 1));
  await panel.getByRole("button", { name: "Create token" }).click();
  const secret = (await panel.getByTestId("api-token-secret").textContent()) ?? "";
  expect(secret).toMatch(/^laurel_at_/);
  await panel.getByText("Copy it now").waitFor();

  const recipient = uniqueEmail("api-recipient");
  const awarded = (await (await awardWith(secret, badgeClassId, recipient)).json()) as any;
  expect(awarded.data.awardBadge).toEqual({ __typename: "Award", recipientEmail: recipient });

  // After a reload the secret is gone for good; the list shows the hint and the last use.
  await page.reload();
  const row = panel.getByRole("listitem").filter({ hasText: "Moodle course completions" });
  await row.getByText(/last used/).waitFor();
  expect(await page.content()).not.toContain(secret);

  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByRole("button", { name: "Revoke token" }).click();
  await row.getByText("revoked", { exact: true }).waitFor();
  const refused = await awardWith(secret, badgeClassId, uniqueEmail("api-refused"));
  expect(refused.status).toBe(401);
  await context.close();
});

it("an owner adds a webhook endpoint for a loopback receiver, sends a test event and sees the delivery logged", async () => {
  const { client, issuerId } = await issuerWithBadgeClass("webhook-owner");
  const { context, page } = await newPage(browser);
  await context.addCookies(client.browserCookies());
  await page.goto(`/issuers/${issuerId}`);
  const panel = page.getByRole("region", { name: "Webhooks" });
  await panel.getByText("No endpoints yet.").waitFor();

  const name = crypto.randomUUID();
  const url = `${inject("webhookReceiverUrl")}/hooks/${name}`;
  await panel.getByLabel("Endpoint URL").fill(url);
  await panel.getByRole("button", { name: "Add endpoint" }).click();
  await panel.getByText("Choose at least one event.").waitFor();
  await panel.getByRole("checkbox", { name: "award.created" }).check();
  await panel.getByRole("button", { name: "Add endpoint" }).click();
  expect(await panel.getByTestId("webhook-secret").textContent()).toMatch(/^whsec_/);

  const endpoint = panel.getByRole("listitem").filter({ hasText: url });
  await endpoint.getByRole("button", { name: "Send test event" }).click();
  const delivery = endpoint.getByTestId("webhook-delivery").first();
  await expect
    .poll(
      async () => {
        await panel.getByRole("button", { name: "Refresh deliveries" }).click();
        return delivery.textContent({ timeout: 5_000 }).catch(() => "");
      },
      { timeout: 30_000, interval: 1_000 },
    )
    .toContain("delivered");
  expect(await delivery.textContent()).toContain("HTTP 200");
  const received = (await (await fetch(`${inject("webhookReceiverUrl")}/received/${name}`)).json()) as {
    headers: Record<string, string>;
  }[];
  expect(received[0]?.headers["webhook-signature"]).toMatch(/^v1,/);
  await expectAccessible(page);
  await context.close();
});
