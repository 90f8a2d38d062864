import { describe, expect, it } from "vitest";
import { TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";

const post = (client: TestClient, headers: Record<string, string>) =>
  client.request("/graphql", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query: "mutation { signOutOtherSessions }" }),
  });

describe("CSRF protection on GraphQL", () => {
  it("refuses a POST without the x-laurel-csrf header, before running anything", async () => {
    const user = await createUser();
    const client = new TestClient();
    await signInAs(client, user);
    const response = await post(client, {});
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("x-laurel-csrf");
  });

  it("refuses a cross-origin POST even with the header", async () => {
    const response = await post(new TestClient(), { "x-laurel-csrf": "1", origin: "https://evil.example" });
    expect(response.status).toBe(403);
  });

  it("refuses a form-encoded POST (what a cross-site form can send)", async () => {
    const response = await new TestClient().request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "query=mutation%7BsignOut%7D",
    });
    expect(response.status).toBe(403);
  });

  it("accepts a same-origin POST with the header", async () => {
    const response = await post(new TestClient(), { "x-laurel-csrf": "1", origin: "http://127.0.0.1:8787" });
    expect(response.status).toBe(200);
  });

  it("does not run mutations over GET", async () => {
    const response = await new TestClient().request(`/graphql?query=${encodeURIComponent("mutation { signOut }")}`, {
      headers: { "x-laurel-csrf": "1" },
    });
    expect(response.status).toBe(405);
  });

  it("runs no query over GET without the header: any page could send that request with the visitor's cookies", async () => {
    const user = await createUser();
    const client = new TestClient();
    await signInAs(client, user);
    const url = `/graphql?query=${encodeURIComponent("{ me { primaryEmail } }")}`;
    const bare = await client.request(url);
    expect(bare.status).toBe(403);
    expect(await bare.text()).not.toContain(user.email);
    // The SPA's own GET queries carry it.
    const own = await client.request(url, { headers: { "x-laurel-csrf": "1" } });
    expect(((await own.json()) as { data: { me: { primaryEmail: string } } }).data.me.primaryEmail).toBe(user.email);
  });
});
