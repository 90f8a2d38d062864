import { describe, expect, it } from "vitest";
import { awarded } from "../../test/badges";
import { TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";

const OWN = "http://127.0.0.1:8787";
// Same site as the SPA (SameSite=Lax cookies go along), other origin: the attack in issue 10.4.
const SAME_SITE = "http://127.0.0.1:9999";
const FOREIGN = "https://evil.example";

const query = (client: TestClient, origin: string, method: "GET" | "POST" = "POST") =>
  method === "GET"
    ? client.request(`/graphql?query=${encodeURIComponent("{ me { primaryEmail } }")}`, { headers: { origin, "x-laurel-csrf": "1" } })
    : client.request("/graphql", {
        method: "POST",
        headers: { origin, "content-type": "application/json", "x-laurel-csrf": "1" },
        body: JSON.stringify({ query: "{ me { primaryEmail } }" }),
      });

describe("CORS on the cookie API", () => {
  it("answers the SPA's own origin with credentials", async () => {
    const client = new TestClient();
    await signInAs(client, await createUser());
    const response = await query(client, OWN);
    expect(response.headers.get("access-control-allow-origin")).toBe(OWN);
    expect(response.headers.get("access-control-allow-credentials")).toBe("true");
    expect(response.headers.get("vary")).toMatch(/origin/i);
  });

  it("gives another origin, even of the same site, no Access-Control-Allow-Origin on GET or POST", async () => {
    const client = new TestClient();
    await signInAs(client, await createUser());
    for (const origin of [SAME_SITE, FOREIGN]) {
      for (const method of ["GET", "POST"] as const) {
        const response = await query(client, origin, method);
        expect(response.headers.get("access-control-allow-origin"), `${method} from ${origin}`).toBeNull();
        expect(response.headers.get("access-control-allow-credentials")).toBeNull();
      }
    }
  });

  it("refuses another origin's preflight, so it can never send the CSRF header", async () => {
    const response = await new TestClient().request("/graphql", {
      method: "OPTIONS",
      headers: { origin: SAME_SITE, "access-control-request-method": "POST", "access-control-request-headers": "x-laurel-csrf" },
    });
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.headers.get("access-control-allow-headers")).toBeNull();
  });

  it("keeps the dev API to the own origin too", async () => {
    const response = await new TestClient().request("/dev/api/mailbox", { headers: { origin: FOREIGN } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("CORS on public documents", () => {
  it("lets any origin read badges, credentials and images, without credentials", async () => {
    const { award, badgeClass } = await awarded();
    const image = new URL(badgeClass.imageUrl).pathname;
    for (const path of [`/public/assertions/${award.id}`, `/public/credentials/${award.id}`, image, "/public/assertions/nope"]) {
      const response = await new TestClient().request(path, { headers: { origin: FOREIGN, accept: "application/json" } });
      expect(response.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("answers a verifier's preflight for POST /api/verify with JSON, and the verification itself", async () => {
    const preflight = await new TestClient().request("/api/verify", {
      method: "OPTIONS",
      headers: { origin: FOREIGN, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-methods")).toContain("POST");
    expect(preflight.headers.get("access-control-allow-headers")).toContain("content-type");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();

    const { award } = await awarded();
    const response = await new TestClient().request("/api/verify", {
      method: "POST",
      headers: { origin: FOREIGN, "content-type": "application/json" },
      body: JSON.stringify({ url: `${OWN}/public/assertions/${award.id}` }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });
});
