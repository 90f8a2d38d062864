import { expect, it } from "vitest";
import { TestClient } from "./client";

it("answers GraphQL", async () => {
  const client = new TestClient();
  expect(await client.gql("{ me { id } }")).toEqual({ me: null });
});
