import { describe, expect, it } from "vitest";
import { BACKPACK, issuerWithBadgeClass } from "../../test/badges";
import { TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { productionClient } from "../../test/production";
import { GRAPHQL_LIMITS } from "./limits";

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string; limit?: string } }[];
}

async function post(client: TestClient, body: unknown): Promise<{ status: number; body: GraphQLBody }> {
  const response = await client.request("/graphql", {
    method: "POST",
    // What @urql/core sends: with it, GraphQL over HTTP answers refused documents with 400.
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json", "x-laurel-csrf": "1" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as GraphQLBody };
}

async function signedInIssuer() {
  const client = new TestClient();
  await signInAs(client, await createUser());
  await issuerWithBadgeClass(client);
  return client;
}

/** `myIssuers { badgeClasses { issuer { badgeClasses { … } } } }`, `levels` fields deep. */
function nested(levels: number): string {
  let selection = "name";
  for (let level = levels - 1; level > 1; level--) selection = `${level % 2 ? "issuer" : "badgeClasses"} { ${selection} }`;
  return `{ myIssuers { ${selection} } }`;
}

function expectRefused(result: { status: number; body: GraphQLBody }, limit: string) {
  expect(result.status).toBe(400);
  expect(result.body.data).toBeUndefined();
  expect(result.body.errors?.[0]?.extensions).toMatchObject({ code: "QUERY_TOO_COMPLEX", limit });
  expect(result.body.errors?.[0]?.message).toMatch(/^This (query|mutation) /);
}

describe("GraphQL limits", () => {
  it("refuses a query nested 30 deep with a clear error, before running it", async () => {
    const client = await signedInIssuer();
    const result = await post(client, { query: nested(30) });
    expectRefused(result, "depth");
    expect(result.body.errors?.[0]?.message).toContain("is 30");
  });

  it("runs a query as deep as the limit", async () => {
    const client = await signedInIssuer();
    const query =
      "{ backpack { items { badgeClass { issuer { badgeClasses { issuer { badgeClasses { issuer { awards { total } } } } } } } } } }";
    expect(GRAPHQL_LIMITS.depth).toBe(10);
    const result = await post(client, { query });
    expect(result.body.errors).toBeUndefined();
    expect(result.status).toBe(200);
  });

  it("refuses 1,000 aliases (too many tokens already), and 100", async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: termsVersion`).join(" ")} }`;
    expectRefused(await post(new TestClient(), { query: aliases(1000) }), "tokens");
    expectRefused(await post(new TestClient(), { query: aliases(100) }), "aliases");
  });

  it("refuses a costly query that stays shallow (a large page of nested lists)", async () => {
    const client = await signedInIssuer();
    const query = "{ backpack(first: 1000) { items { id badgeClass { name tags issuer { name badgeClasses { id name } } } } } }";
    expectRefused(await post(client, { query }), "cost");
  });

  it("refuses lists nested in lists beyond the limit, even through fragments", async () => {
    const client = await signedInIssuer();
    const inline = "{ myIssuers { badgeClasses { issuer { badgeClasses { issuer { badgeClasses { id } } } } } } }";
    expectRefused(await post(client, { query: inline }), "nestedLists");
    const spread = `{ myIssuers { ...I } } fragment I on Issuer { badgeClasses { issuer { badgeClasses { ...B } } } }
      fragment B on BadgeClass { issuer { badgeClasses { id } } }`;
    expectRefused(await post(client, { query: spread }), "nestedLists");
    const allowed = "{ myIssuers { badgeClasses { issuer { badgeClasses { id } } } } }";
    expect((await post(client, { query: allowed })).status).toBe(200);
  });

  it("refuses too many directives", async () => {
    const fields = Array.from({ length: GRAPHQL_LIMITS.directives + 1 }, (_, i) => `f${i}: termsVersion @include(if: true)`);
    const result = await post(new TestClient(), { query: `{ ${fields.join(" ")} }` });
    expect(result.status).toBe(400);
    expect(result.body.errors?.map((e) => e.extensions?.limit)).toContain("directives");
  });

  it("refuses a document of too many tokens, and one too long, while parsing", async () => {
    const tokens = `{ ${"a ".repeat(GRAPHQL_LIMITS.tokens)} }`;
    expectRefused(await post(new TestClient(), { query: tokens }), "tokens");
    const long = `{ termsVersion ${" ".repeat(GRAPHQL_LIMITS.documentLength)} }`;
    expectRefused(await post(new TestClient(), { query: long }), "documentLength");
  });

  it("refuses a mutation with more root fields than allowed, and runs none of them", async () => {
    const client = new TestClient();
    await signInAs(client, await createUser());
    const fields = Array.from({ length: GRAPHQL_LIMITS.mutationFields + 1 }, (_, i) => `s${i}: signOut`).join(" ");
    expectRefused(await post(client, { query: `mutation { ${fields} }` }), "mutationFields");
    expect((await client.gql("{ me { id } }")).me).not.toBeNull();
  });

  it("answers a GET with malformed variables with a 400, not an internal error", async () => {
    const response = await new TestClient().request(`/graphql?query=${encodeURIComponent("{ termsVersion }")}&variables=%7B`, {
      headers: { "x-laurel-csrf": "1", accept: "application/graphql-response+json" },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as GraphQLBody;
    expect(body.errors?.[0]).toMatchObject({
      message: "The request's variables or extensions are not valid JSON.",
      extensions: { code: "BAD_REQUEST" },
    });
  });

  it("does not run batched operations", async () => {
    const result = await post(new TestClient(), [{ query: "{ termsVersion }" }, { query: "{ termsVersion }" }]);
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.body)).not.toContain(`"termsVersion"`);
  });

  it("accepts the SPA's heaviest documents: the collection editor, the backpack and an issuer's awards", async () => {
    const client = await signedInIssuer();
    const { createCollection } = await client.gql(
      `mutation { createCollection(input: { name: "Portfolio" }) { __typename ... on Collection { id } } }`,
    );
    const fields = "id name description publicUrl sharedAt updatedAt badges { id hidden badgeClass { name imageUrl issuer { name } } }";
    const editor = `query ($id: ID!) {
      collection(id: $id) { ${fields} }
      backpack(first: 100, includeHidden: true) { items { id hidden badgeClass { name imageUrl issuer { name } } } }
    }`;
    expect((await post(client, { query: editor, variables: { id: createCollection.id } })).status).toBe(200);
    expect((await post(client, { query: BACKPACK, variables: { first: 24 } })).status).toBe(200);
    const { myIssuers } = await client.gql("{ myIssuers { id } }");
    const awards = `query ($id: ID!, $status: AwardStatus) { issuer(id: $id) { awards(status: $status, limit: 100) {
      total items { id status recipientEmail recipientName issuedOn revocationReason badgeClass { name } } } } }`;
    const result = await post(client, { query: awards, variables: { id: myIssuers[0].id } });
    expect(result.body.errors).toBeUndefined();
  });
});

describe("introspection and suggestions", () => {
  const INTROSPECTION = "{ __schema { types { name } } }";

  it("answers introspection outside production (GraphQL tooling in development)", async () => {
    const result = await post(new TestClient(), { query: INTROSPECTION });
    expect(result.status).toBe(200);
  });

  it("refuses introspection in production with a code, even under an alias or as __type", async () => {
    for (const query of [INTROSPECTION, "{ s: __schema { queryType { name } } }", '{ __type(name: "User") { fields { name } } }']) {
      const result = await post(productionClient(), { query });
      expect(result.status).toBe(400);
      expect(result.body.data).toBeUndefined();
      expect(result.body.errors?.[0]?.extensions?.code).toBe("INTROSPECTION_DISABLED");
    }
    expect((await post(productionClient(), { query: "{ __typename termsVersion }" })).status).toBe(200);
  });

  it("suggests no field, argument or enum names in production", async () => {
    const wrongField = await post(productionClient(), { query: "{ termsVersio }" });
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.errors?.[0]?.message).toBe('Cannot query field "termsVersio" on type "Query".');
    const wrongEnum = await post(productionClient(), {
      query: "query ($f: BackpackFilter) { backpack(filter: $f) { hasNextPage } }",
      variables: { f: "ACTIV" },
    });
    expect(JSON.stringify(wrongEnum.body)).toContain("ACTIV");
    expect(JSON.stringify(wrongEnum.body)).not.toMatch(/Did you mean|"ACTIVE"/);
    // Outside production the suggestions help developers.
    expect((await post(new TestClient(), { query: "{ termsVersio }" })).body.errors?.[0]?.message).toContain("Did you mean");
  });
});
