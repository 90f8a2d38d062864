import { describe, expect, it } from "vitest";
import { awarded, REVOKE } from "../../test/badges";
import { TestClient } from "../../test/client";
import { recipientHash } from "../badges/recipient";

const APP = "http://127.0.0.1:8787";

const getJson = (client: TestClient, path: string) => client.request(path, { headers: { accept: "application/ld+json" } });

describe("Open Badges 2.0 hosted verification", () => {
  it("serves the assertion, badge class and issuer as JSON-LD with a hashed, salted recipient", async () => {
    const { issuer, badgeClass, award, email } = await awarded();
    const client = new TestClient();
    const response = await getJson(client, `/public/assertions/${award.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/ld+json; charset=utf-8");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const assertion = (await response.json()) as Record<string, any>;
    expect(assertion).toMatchObject({
      "@context": "https://w3id.org/openbadges/v2",
      type: "Assertion",
      id: `${APP}/public/assertions/${award.id}`,
      badge: `${APP}/public/badges/${badgeClass.id}`,
      verification: { type: "hosted" },
      issuedOn: "2026-11-02T00:00:00.000Z",
      expires: "2027-11-02T00:00:00.000Z",
      narrative: "Ran the workshop.",
      evidence: [{ type: "Evidence", id: "https://evidence.example.org/1", narrative: "Plan" }],
      recipient: { type: "email", hashed: true },
    });
    expect(assertion.recipient.identity).toBe(await recipientHash(email, assertion.recipient.salt));
    expect(JSON.stringify(assertion)).not.toContain(email);

    const badge = (await (await getJson(client, `/public/badges/${badgeClass.id}`)).json()) as Record<string, any>;
    expect(badge).toMatchObject({
      type: "BadgeClass",
      name: "Formative Assessment",
      issuer: `${APP}/public/issuers/${issuer.id}`,
      alignment: [{ targetName: "Assessment literacy", targetCode: "A1" }],
    });
    expect(badge.criteria.narrative).toContain("unit plan");
    const profile = (await (await getJson(client, `/public/issuers/${issuer.id}`)).json()) as Record<string, any>;
    expect(profile).toMatchObject({
      type: "Issuer",
      name: "Northwind Teachers College",
      url: "https://northwind.example.org/",
      email: "badges@northwind.example.org",
    });
  });

  it("answers 404 for unknown ids", async () => {
    for (const path of ["/public/assertions/nope", "/public/badges/nope", "/public/issuers/nope"]) {
      expect((await getJson(new TestClient(), path)).status).toBe(404);
    }
  });

  it("gives a browser a verification page with Open Graph tags, at the same URL", async () => {
    const { award } = await awarded();
    const response = await new TestClient().request(`/public/assertions/${award.id}`, {
      headers: { accept: "text/html,application/xhtml+xml" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain('<meta property="og:title" content="Formative Assessment · Northwind Teachers College">');
    expect(html).toMatch(/<meta property="og:image" content="http:\/\/127\.0\.0\.1:8787\/public\/images\/badges\/[\w-]+\.png">/);
    expect(html).toContain('<meta name="twitter:card" content="summary">');
    expect(html).toContain("Ada Lovelace earned this badge");
    expect(html).toContain('<span class="status valid">Valid</span>');
    // What the backpack shows travels to the public page too.
    expect(html).toContain("<h2>About this award</h2><p>Ran the workshop.</p>");
    expect(html).toContain('<a href="https://evidence.example.org/1" rel="noopener nofollow">https://evidence.example.org/1</a>: Plan');
    expect(html).toContain("<li>Plans formative checks</li><li>Adjusts instruction from evidence</li>");
    expect(html).toContain('<a href="https://frameworks.example.org/assessment" rel="noopener nofollow">Assessment literacy</a> (A1)');
    expect(html).toContain('<span class="tag">assessment</span> <span class="tag">teaching</span>');
    expect(html).not.toContain("<script");
  });

  it("escapes whatever an issuer or awarder typed", async () => {
    const { award } = await awarded({ recipientName: '<img src=x onerror="alert(1)">' });
    const html = await (await new TestClient().request(`/public/assertions/${award.id}`, { headers: { accept: "text/html" } })).text();
    expect(html).not.toContain("<img src=x");
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("answers 410 Gone with the reason once revoked, even after the document was cached", async () => {
    const { issuerClient, award } = await awarded();
    const client = new TestClient();
    expect((await getJson(client, `/public/assertions/${award.id}`)).status).toBe(200);
    await issuerClient.gql(REVOKE, { awardId: award.id, reason: "Issued in error." });
    const response = await getJson(client, `/public/assertions/${award.id}`);
    expect(response.status).toBe(410);
    expect(await response.json()).toEqual({
      "@context": "https://w3id.org/openbadges/v2",
      id: `${APP}/public/assertions/${award.id}`,
      revoked: true,
      revocationReason: "Issued in error.",
    });
    const page = await client.request(`/public/assertions/${award.id}`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("Revoked by Northwind Teachers College: Issued in error.");
  });

  it("caches with an ETag and answers 304 to a matching If-None-Match", async () => {
    const { award } = await awarded();
    const client = new TestClient();
    const first = await getJson(client, `/public/assertions/${award.id}`);
    const etag = first.headers.get("etag")!;
    expect(first.headers.get("cache-control")).toBe("public, max-age=300");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await client.request(`/public/assertions/${award.id}`, {
      headers: { accept: "application/ld+json", "if-none-match": etag },
    });
    expect(again.status).toBe(304);
  });
});
