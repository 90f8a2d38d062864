import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { signedInAccount } from "../support/api";
import { expectAccessible } from "../support/axe";
import { baseUrl, launchChromium, newPage, uniqueEmail } from "../support/browser";
import { scrollsSideways } from "../support/pages";

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

const BADGE_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" viewBox="0 0 200 200"><rect x="20" y="20" width="160" height="160" fill="#1565c0"/></svg>`;

it("an owner creates a badge class, awards it, opens its page, edits it (criteria locked once awarded) and revokes its award there", async () => {
  const { client } = await signedInAccount("class-editor");
  const { createIssuer } = await client.gql("mutation ($input: IssuerInput!) { createIssuer(input: $input) { ... on Issuer { id } } }", {
    input: { name: "Editing Institute", url: "https://editing.example.org/", email: "badges@editing.example.org" },
  });
  const { context, page } = await newPage(browser);
  await context.addCookies(client.cookiesFor(baseUrl()));
  await page.goto(`/issuers/${createIssuer.id}`);
  await page.getByRole("heading", { name: "Editing Institute" }).waitFor();

  const image = path.resolve(import.meta.dirname, "../.artifacts/class-badge.svg");
  writeFileSync(image, BADGE_SVG);
  await page.getByText("New badge class").click();
  await page.getByLabel("Name", { exact: true }).fill("Peer Feedback");
  await page.getByLabel("Learning description").fill("Gives feedback that helps a colleague improve.");
  await page.getByLabel("Image (PNG or SVG, square, 90–2048 px, up to 512 KB)").setInputFiles(image);
  await page.getByLabel("Criteria (what it takes to earn it)").fill("Give written feedback on three lesson plans.");
  await page.getByLabel("Tags (comma separated)").fill("feedback, peers");
  await page.getByRole("button", { name: "Create badge class" }).click();
  await page.getByText("Badge class created.").waitFor();
  await expectAccessible(page, "issuer console after creating a class");

  // The success message is about that submit only: an award afterwards clears it.
  const recipient = uniqueEmail("class-recipient");
  await page.getByLabel("Badge class", { exact: true }).first().selectOption({ label: "Peer Feedback" });
  await page.getByLabel("Recipient email").fill(recipient);
  await page.getByRole("button", { name: "Award", exact: true }).click();
  await page.getByText(`Awarded. We emailed ${recipient}.`).waitFor();
  expect(await page.getByText("Badge class created.").count()).toBe(0);

  await page.getByRole("link", { name: "Peer Feedback" }).first().click();
  await page.getByRole("heading", { name: "Peer Feedback", level: 1 }).waitFor();
  await page.getByRole("heading", { name: "Edit badge class" }).waitFor();
  const criteria = page.getByLabel("Criteria (what it takes to earn it)");
  expect(await criteria.inputValue()).toBe("Give written feedback on three lesson plans.");
  // Awarded: what the award certifies is locked, and says why.
  expect(await criteria.getAttribute("readonly")).not.toBeNull();
  await page.getByText("Locked: badges were already awarded against it.").first().waitFor();
  await page.getByTestId("award-row").filter({ hasText: recipient }).waitFor();
  await expectAccessible(page, "badge class page");

  await page.getByLabel("Name", { exact: true }).fill("Peer Feedback Practice");
  await page.getByLabel("Learning outcomes (one per line)").fill("Writes specific feedback\nSuggests a next step");
  await page.getByRole("button", { name: "Save changes" }).click();
  await page.getByText("Changes saved.").waitFor();
  await page.getByRole("heading", { name: "Peer Feedback Practice", level: 1 }).waitFor();
  await page.getByRole("listitem").filter({ hasText: "Suggests a next step" }).first().waitFor();
  // The hosted Open Badges 2.0 class shows the edit at once.
  const classId = new URL(page.url()).pathname.split("/").at(-1);
  const hosted = await (await fetch(`${baseUrl()}/public/badges/${classId}`, { headers: { accept: "application/ld+json" } })).json();
  expect(hosted).toMatchObject({ name: "Peer Feedback Practice", tags: ["feedback", "peers"] });

  // LinkedIn and Facebook render no SVG: link previews show a PNG the browser drew from it.
  const { badgeClass } = await client.gql("query ($id: ID!) { badgeClass(id: $id) { imageUrl previewImageUrl } }", { id: classId });
  expect(badgeClass.imageUrl).toMatch(/\.svg$/);
  expect(badgeClass.previewImageUrl).toMatch(/\.png$/);
  const preview = await context.newPage();
  await preview.goto(badgeClass.previewImageUrl);
  const drawn = await preview.evaluate(async () => {
    const image = document.querySelector("img") as HTMLImageElement;
    await image.decode();
    const canvas = Object.assign(document.createElement("canvas"), { width: image.naturalWidth, height: image.naturalHeight });
    const g = canvas.getContext("2d")!;
    g.drawImage(image, 0, 0);
    const at = (x: number, y: number) => [...g.getImageData(x, y, 1, 1).data.slice(0, 3)];
    return { width: image.naturalWidth, height: image.naturalHeight, centre: at(300, 300), corner: at(5, 5) };
  });
  // The badge's blue square in the middle, on white where the SVG is transparent.
  expect(drawn).toEqual({ width: 600, height: 600, centre: [0x15, 0x65, 0xc0], corner: [255, 255, 255] });
  await preview.close();

  // Its awards are listed here, with the same revoke form as the console's.
  const row = page.getByTestId("award-row").filter({ hasText: recipient });
  await row.getByRole("button", { name: "Revoke" }).click();
  await row.getByLabel("Reason for revoking").fill("Awarded before the feedback was written.");
  await row.getByRole("button", { name: "Revoke badge" }).click();
  await row.getByText("revoked: Awarded before the feedback was written.").waitFor();
  await expectAccessible(page, "badge class page after revoking");

  await page.setViewportSize({ width: 375, height: 800 });
  expect(await scrollsSideways(page)).toBe(false);
  await context.close();
});
