import { describe, expect, it } from "vitest";
import { AWARD, issuerWithBadgeClass } from "../../test/badges";
import { TestClient } from "../../test/client";
import { countQueries } from "../../test/counting";
import { createUser, signInAs } from "../../test/fixtures";

// Nesting must not multiply D1 queries: the dataloaders batch each level, so a page of ten
// badges from ten issuers costs what a page of two does.

/** A learner with one badge from each of `count` issuers (each with its own badge class), all in one collection, and the issuers' owner. */
async function learnerWithBadgesFrom(count: number) {
  const owner = await createUser();
  const ownerClient = new TestClient();
  await signInAs(ownerClient, owner);
  const learner = await createUser();
  const learnerClient = new TestClient();
  await signInAs(learnerClient, learner);
  const awardIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const { badgeClass } = await issuerWithBadgeClass(ownerClient);
    awardIds.push((await ownerClient.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: learner.email } })).awardBadge.id);
  }
  const created = await learnerClient.gql(`mutation { createCollection(input: { name: "All" }) { ... on Collection { id } } }`);
  await learnerClient.gql(`mutation ($id: ID!, $a: [ID!]!) { setCollectionBadges(id: $id, awardIds: $a) { __typename } }`, {
    id: created.createCollection.id,
    a: awardIds,
  });
  return { owner, learner };
}

const BACKPACK = `{ backpack(first: 50) { items {
  id publicUrl linkedInAddToProfileUrl embedHtml
  issuer { name }
  badgeClass { name issuer { name myRole badgeClasses { name issuer { name } } } }
} } }`;

const CONSOLE = `{ myIssuers {
  name myRole
  badgeClasses { name issuer { name } }
  members { name role }
} }`;

const COLLECTIONS = "{ myCollections { name badges { id badgeClass { name issuer { name } } } } }";

const rows = {
  [BACKPACK]: (data: any) => data.backpack.items.length,
  [CONSOLE]: (data: any) => data.myIssuers.length,
  [COLLECTIONS]: (data: any) => data.myCollections[0].badges.length,
};

describe("nested queries", () => {
  it("cost the same number of D1 queries for 2 rows or 6: backpack, issuer console with members, collections", async () => {
    const few = await learnerWithBadgesFrom(2);
    const many = await learnerWithBadgesFrom(6);
    for (const [query, as] of [
      [BACKPACK, "learner"],
      [CONSOLE, "owner"],
      [COLLECTIONS, "learner"],
    ] as const) {
      const small = await countQueries(few[as], query);
      const large = await countQueries(many[as], query);
      expect([rows[query](small.data), rows[query](large.data)]).toEqual([2, 6]);
      expect({ query, queries: large.queries }).toEqual({ query, queries: small.queries });
    }
    // What it costs: a query or two per level of nesting, not one per row.
    expect((await countQueries(many.learner, BACKPACK)).queries).toBeLessThanOrEqual(8);
    expect((await countQueries(many.owner, CONSOLE)).queries).toBeLessThanOrEqual(6);
  });

  it("reads the backpack page the SPA asks for in one D1 query: cards with their badge classes and issuers", async () => {
    const { learner } = await learnerWithBadgesFrom(6);
    const page = await countQueries(
      learner,
      "{ backpack(first: 24) { items { id status hidden issuedOn expiresAt recipientEmail badgeClass { name imageUrl issuer { name } } } endCursor hasNextPage } }",
    );
    expect(page.data.backpack.items).toHaveLength(6);
    for (const item of page.data.backpack.items) expect(item.badgeClass.issuer.name).toBeTruthy();
    // With the session's user row, a signed-in backpack request costs two D1 reads.
    expect(page.queries).toBe(1);
  });
});
