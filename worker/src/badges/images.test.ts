import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { badgeClassInput, CREATE_BADGE_CLASS, issuerWithBadgeClass } from "../../test/badges";
import { gqlUpload, TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { fileOf, pngImage } from "../../test/images";
import { BENIGN_SVGS, HOSTILE_SVGS, UNREADABLE_SVGS } from "../../test/svg-corpus";

const CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

describe("uploaded SVG images", () => {
  let client: TestClient;
  let issuerId: string;
  const upload = async (svg: string) =>
    (
      await gqlUpload(
        client,
        CREATE_BADGE_CLASS,
        { issuerId, input: badgeClassInput() },
        { "input.image": fileOf(svg, "b.svg", "image/svg+xml") },
      )
    ).createBadgeClass;

  beforeAll(async () => {
    client = new TestClient();
    await signInAs(client, await createUser());
    issuerId = (await issuerWithBadgeClass(client)).issuer.id;
  });

  it.each(HOSTILE_SVGS)("refuses %s with a field error naming it", async (_label, svg) => {
    const result = await upload(svg);
    expect(result.__typename).toBe("ValidationError");
    expect(result.fieldErrors).toHaveLength(1);
    expect(result.fieldErrors[0]).toMatchObject({
      field: "image",
      message: expect.stringMatching(/^The SVG contains .+\. Export a plain SVG/),
    });
  });

  it.each(UNREADABLE_SVGS)("refuses %s as unreadable", async (_label, svg, reason) => {
    const result = await upload(svg);
    expect(result.fieldErrors).toEqual([{ field: "image", message: expect.stringMatching(reason) }]);
    expect(result.fieldErrors[0].message).toMatch(/^The SVG could not be read: /);
  });

  it("names what it found", async () => {
    const [, svg] = HOSTILE_SVGS.find(([label]) => label === "a script under another SVG prefix")!;
    expect((await upload(svg)).fieldErrors[0].message).toBe(
      "The SVG contains a script. Export a plain SVG without scripts, animations, embedded HTML or links to other files.",
    );
  });

  it.each(BENIGN_SVGS)("accepts %s, stores it rebuilt and serves it with the image headers", async (_label, svg) => {
    const result = await upload(svg);
    expect(result.__typename).toBe("BadgeClass");
    const key = new URL(result.imageUrl).pathname.replace("/public/images/", "");
    const stored = await env.FILES.get(key);
    expect(stored?.customMetadata).toEqual({ svgSanitiser: "1" });
    const text = await stored!.text();
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(text).not.toMatch(/inkscape|sodipodi|<!--|enable-background/);
    const served = await client.request(`/public/images/${key}`);
    expect(served.headers.get("content-type")).toBe("image/svg+xml");
    expect(served.headers.get("content-security-policy")).toBe(CSP);
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await served.text()).toBe(text);
  });

  it("serves PNGs with the same headers", async () => {
    const { badgeClass } = await issuerWithBadgeClass(client);
    const served = await client.request(new URL(badgeClass.imageUrl).pathname);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("content-security-policy")).toBe(CSP);
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(await pngImage());
  });
});

describe("SVGs stored before the allow-list", () => {
  it("are sanitised when served, with their own ETag", async () => {
    const [, hostile] = HOSTILE_SVGS.find(([label]) => label === "an entity-encoded javascript: in <a href>")!;
    await env.FILES.put("badges/legacy-hostile.svg", hostile, { httpMetadata: { contentType: "image/svg+xml" } });
    const client = new TestClient();
    const served = await client.request("/public/images/badges/legacy-hostile.svg");
    expect(served.status).toBe(200);
    expect(served.headers.get("content-security-policy")).toBe(CSP);
    const text = await served.text();
    expect(text).not.toMatch(/javascript|&#x6A;/i);
    expect(text).toContain('<a><text y="20">x</text></a>');
    const etag = served.headers.get("etag")!;
    expect(etag).toMatch(/-s1"$/);
    expect((await client.request("/public/images/badges/legacy-hostile.svg", { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("are not served at all when they are not well-formed", async () => {
    await env.FILES.put("badges/legacy-broken.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)', {
      httpMetadata: { contentType: "image/svg+xml" },
    });
    const served = await new TestClient().request("/public/images/badges/legacy-broken.svg");
    expect(served.status).toBe(404);
    expect(await served.text()).not.toContain("alert");
  });
});
