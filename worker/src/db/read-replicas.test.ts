import { describe, expect, it } from "vitest";
import { TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { BOOKMARK_COOKIE, readFrom } from "./bookmark";

describe("D1 read replicas (Sessions API)", () => {
  it("hands the browser the newest bookmark and starts its next request from it", async () => {
    const client = new TestClient();
    const user = await createUser();
    await signInAs(client, user);
    await client.gql(`mutation { updateName(firstName: "Replica", lastName: "Reader") { __typename } }`);
    const bookmark = client.cookies.get(BOOKMARK_COOKIE);
    expect(bookmark).toMatch(/^[0-9a-f][0-9a-f-]+$/i);
    expect(readFrom(bookmark)).toBe(bookmark);
    // The next read carries the bookmark, so it sees the write even on a lagging replica.
    const { me } = await client.gql("{ me { firstName } }");
    expect(me.firstName).toBe("Replica");
  });

  it("ignores a forged bookmark and reads from the nearest copy", async () => {
    expect(readFrom("'; drop table users; --")).toBe("first-unconstrained");
    expect(readFrom(undefined)).toBe("first-unconstrained");
    const client = new TestClient();
    client.cookies.set(BOOKMARK_COOKIE, "not a bookmark");
    const response = await client.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
      body: JSON.stringify({ query: "{ termsVersion }" }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { termsVersion: string } }).data.termsVersion).toBeTruthy();
  });
});
