import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { BENIGN_SVGS } from "../../worker/test/svg-corpus";
import { signedInAccount } from "../support/api";
import { launchChromium, newPage } from "../support/browser";

// Sanitising must not change how a badge looks: Chromium draws each exported badge as uploaded
// and as Laurel serves it, and the pixels are compared.

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it("renders real-world badge SVGs the same after sanitising", async () => {
  const { client } = await signedInAccount("svg-render");
  const { createIssuer } = await client.gql("mutation ($input: IssuerInput!) { createIssuer(input: $input) { ... on Issuer { id } } }", {
    input: { name: "Rendering Institute", url: "https://render.example.org/", email: "badges@render.example.org" },
  });
  const { page } = await newPage(browser);
  await page.goto("/");
  for (const [label, svg] of BENIGN_SVGS) {
    const { createBadgeClass } = await client.gql(
      "mutation ($issuerId: ID!, $input: BadgeClassInput!) { createBadgeClass(issuerId: $issuerId, input: $input) { __typename ... on BadgeClass { imageUrl } ... on Error { message } } }",
      {
        issuerId: createIssuer.id,
        input: { name: "Rendered", description: "Looks the same.", criteriaNarrative: "Be drawn.", image: null },
      },
      { "input.image": new File([svg], "badge.svg", { type: "image/svg+xml" }) },
    );
    expect(createBadgeClass.__typename, `${label}: ${createBadgeClass.message}`).toBe("BadgeClass");
    const served = new URL(createBadgeClass.imageUrl).pathname;
    const comparison = await page.evaluate(
      async ({ original, served }) => {
        const size = 200;
        const draw = async (src: string) => {
          const image = new Image(size, size);
          image.src = src;
          await image.decode();
          const canvas = document.createElement("canvas");
          canvas.width = size;
          canvas.height = size;
          const context = canvas.getContext("2d")!;
          context.drawImage(image, 0, 0, size, size);
          return context.getImageData(0, 0, size, size).data;
        };
        // A data: URL, since the SPA's Content-Security-Policy allows images from 'self' and data: only.
        const before = await draw(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(original)}`);
        const after = await draw(served);
        let painted = 0;
        let differing = 0;
        for (let i = 0; i < before.length; i += 4) {
          if (before[i + 3]! > 0) painted++;
          const delta = Math.max(...[0, 1, 2, 3].map((c) => Math.abs(before[i + c]! - after[i + c]!)));
          if (delta > 8) differing++;
        }
        return { painted, differing };
      },
      { original: svg, served },
    );
    // Most of the badge is painted (so a blank result cannot pass), and not one pixel moved.
    expect(comparison.painted, label).toBeGreaterThan(20_000);
    expect(comparison.differing, label).toBe(0);
  }
});
