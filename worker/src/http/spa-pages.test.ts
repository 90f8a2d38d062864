import { describe, expect, it } from "vitest";
import appSource from "../../../web/src/App.tsx?raw";
import { TestClient } from "../../test/client";
import { SPA_CSP } from "./security-headers";
import { findSpaPage, SPA_PAGES } from "./spa-pages";

const html = (client: TestClient, path: string, method = "GET") => client.request(path, { method, headers: { accept: "text/html" } });

describe("the SPA's pages", () => {
  it("knows exactly the routes the SPA's router has", () => {
    const routes = [...appSource.matchAll(/<Route\s+path="([^"]+)"/g)].map((m) => m[1]).filter((path) => path !== "*404");
    expect(routes.length).toBeGreaterThan(10);
    // A new page of the SPA needs its line (title, description) in SPA_PAGES, or it answers 404.
    expect(SPA_PAGES.map((page) => page.path).sort(), "SPA_PAGES in worker/src/http/spa-pages.ts vs <Route>s in web/src/App.tsx").toEqual(
      routes.sort(),
    );
  });

  it("answers a known route, also a deep link with an id, with the SPA and its own title and description", async () => {
    const client = new TestClient();
    const response = await html(client, "/backpack/collections/c_123");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toBe(SPA_CSP);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const page = await response.text();
    expect(page).toContain('<div id="root">');
    expect(page).toContain("<title>Collection · Laurel</title>");
    expect(page).toContain('<meta name="description" content="Choose the badges of a collection and share it." />');
    expect(page).toContain('<meta name="robots" content="noindex" />');

    const home = await (await html(client, "/verify?url=x")).text();
    expect(home).toContain("<title>Verify a badge · Laurel</title>");
    expect(home).not.toContain("noindex");
  });

  it("answers an unknown path with the SPA's not-found page and a real 404; the API's unknown paths stay JSON", async () => {
    const client = new TestClient();
    for (const path of ["/help-me", "/backpack/a/b/c", "/sign-in/nowhere"]) {
      const response = await html(client, path);
      expect(response.status, path).toBe(404);
      const page = await response.text();
      expect(page).toContain("<title>Page not found · Laurel</title>");
      expect(page).toContain('<div id="root">');
    }
    const head = await html(client, "/nothing-here", "HEAD");
    expect(head.status).toBe(404);
    expect(await head.text()).toBe("");
    const api = await client.request("/api/nothing-here");
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: "Not found" });
  });

  it("keeps the dev mailbox out of production", () => {
    expect(findSpaPage("/dev/mailbox", { development: true })?.title).toBe("Mailbox");
    expect(findSpaPage("/dev/mailbox", { development: false })).toBeNull();
    expect(findSpaPage("/issuers/", { development: false })?.path).toBe("/issuers");
  });

  it("serves a robots.txt that lets crawlers read public pages and keeps them out of accounts and the API", async () => {
    const response = await new TestClient().request("/robots.txt");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const lines = (await response.text()).split("\n");
    expect(lines[0]).toBe("User-agent: *");
    for (const path of ["/account", "/backpack", "/issuers", "/sign-in/code", "/register/verify", "/graphql", "/api/", "/dev/mailbox"])
      expect(lines).toContain(`Disallow: ${path}`);
    // Sign-in and registration are found by search; the public pages are what crawlers are for.
    for (const line of lines)
      expect(line).not.toMatch(/^Disallow: \/(public|verify|terms|privacy|help|sign-in|register|micro-credentials)?\/?$/);
  });
});
