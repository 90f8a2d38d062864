import { describe, expect, it } from "vitest";
import headersFile from "../../../web/public/_headers?raw";
import { awarded } from "../../test/badges";
import { TestClient } from "../../test/client";
import { COMMON_HEADERS, SPA_CSP } from "./security-headers";

function expectSecurityHeaders(response: Response) {
  for (const [name, value] of Object.entries(COMMON_HEADERS)) expect(response.headers.get(name), name).toBe(value);
  expect(response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
}

describe("security headers on Worker responses", () => {
  it("sends a script-free CSP, no framing, a referrer and a permissions policy on a public badge page", async () => {
    const { award } = await awarded();
    const response = await new TestClient().request(`/public/assertions/${award.id}`, { headers: { accept: "text/html" } });
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expectSecurityHeaders(response);
    const csp = response.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("img-src 'self'");
  });

  it("sends them on JSON, GraphQL, 404s and images; images stay embeddable elsewhere", async () => {
    const { award, badgeClass } = await awarded();
    const client = new TestClient();
    const graphql = await client.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
      body: JSON.stringify({ query: "{ termsVersion }" }),
    });
    expectSecurityHeaders(graphql);
    expect(graphql.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expectSecurityHeaders(await client.request(`/public/assertions/${award.id}`, { headers: { accept: "application/ld+json" } }));
    expectSecurityHeaders(await client.request("/api/nothing-here"));
    const image = await client.request(new URL(badgeClass.imageUrl).pathname);
    expect(image.status).toBe(200);
    expectSecurityHeaders({ headers: new Headers([...image.headers, ["content-security-policy", "frame-ancestors 'none'"]]) } as Response);
    // An SVG opened directly keeps its sandbox; <img> on other sites (the embed snippet) still loads it.
    expect(image.headers.get("content-security-policy")).toContain("sandbox");
    expect(image.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
  });

  it("keeps the SPA's _headers file in step with the Worker's headers, with a CSP that allows no inline script", () => {
    // The `/*` rule: its indented "Name: value" lines, up to the next rule.
    const lines = headersFile.split("\n").filter((line) => line.trim() && !line.trimStart().startsWith("#"));
    const headers = new Map<string, string>();
    for (const line of lines.slice(lines.indexOf("/*") + 1)) {
      if (!/^\s/.test(line)) break;
      const at = line.indexOf(":");
      headers.set(line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim());
    }
    for (const [name, value] of Object.entries(COMMON_HEADERS)) expect(headers.get(name), name).toBe(value);
    const csp = headers.get("content-security-policy") ?? "";
    expect(csp).toBe(SPA_CSP);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("'unsafe-inline'");
    expect(csp).not.toContain("'unsafe-eval'");
  });
});
