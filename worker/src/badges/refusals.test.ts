import { describe, expect, it } from "vitest";
import { AWARD, issuerWithBadgeClass, joinIssuer } from "../../test/badges";
import { TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";

// Expected refusals on queries are GraphQL errors with a code (or a null), never a masked
// "Unexpected error".

async function signedIn() {
  const user = await createUser();
  const client = new TestClient();
  await signInAs(client, user);
  return { user, client };
}

const codesOf = (answer: { errors?: { message: string; extensions?: { code?: string } }[] }) =>
  (answer.errors ?? []).map((e) => [e.extensions?.code, e.message]);

describe("issuer fields for some members only", () => {
  it("answer FORBIDDEN to a member without the role and to a learner who reached the issuer through a badge", async () => {
    const { client: owner } = await signedIn();
    const { issuer, badgeClass } = await issuerWithBadgeClass(owner);
    const { user: awarder, client: awarderClient } = await signedIn();
    await joinIssuer(owner, issuer.id, { email: awarder.email, client: awarderClient });
    const members = await awarderClient.gqlResult("query ($id: ID!) { issuer(id: $id) { name members { name } } }", { id: issuer.id });
    expect(codesOf(members)).toEqual([["FORBIDDEN", "Only the issuer's owners see its members."]]);
    // What the awarder may see still answers.
    const awards = await awarderClient.gql("query ($id: ID!) { issuer(id: $id) { awards { total } } }", { id: issuer.id });
    expect(awards.issuer.awards.total).toBe(0);

    const { user: learner, client: learnerClient } = await signedIn();
    await owner.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: learner.email } });
    expect(codesOf(await learnerClient.gqlResult("{ backpack { items { issuer { name awards { total } } } } }"))).toEqual([
      ["FORBIDDEN", "Only the issuer's members see its awards."],
    ]);
    expect(codesOf(await learnerClient.gqlResult("{ backpack { items { badgeClass { issuer { members { name } } } } } }"))).toEqual([
      ["FORBIDDEN", "Only the issuer's owners see its members."],
    ]);
    expect(codesOf(await new TestClient().gqlResult("{ myIssuers { id } }"))).toEqual([["UNAUTHENTICATED", "Sign in to continue."]]);
    const owners = await owner.gql("query ($id: ID!) { issuer(id: $id) { members { role } } }", { id: issuer.id });
    expect(owners.issuer.members.map((m: { role: string }) => m.role).sort()).toEqual(["AWARDER", "OWNER"]);
  });
});

describe("lookups of what is not yours", () => {
  it("answer null, not an error: a badge class, a backpack badge and a collection", async () => {
    const { client: owner } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(owner);
    const awarded = (await owner.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: uniqueEmail() } })).awardBadge;
    const created = await owner.gql(`mutation { createCollection(input: { name: "Mine" }) { __typename ... on Collection { id } } }`);
    const { client: stranger } = await signedIn();
    const answer = await stranger.gqlResult(
      "query ($b: ID!, $a: ID!, $c: ID!) { badgeClass(id: $b) { id } backpackBadge(id: $a) { id } collection(id: $c) { id } }",
      { b: badgeClass.id, a: awarded.id, c: created.createCollection.id },
    );
    expect(answer).toEqual({ data: { badgeClass: null, backpackBadge: null, collection: null } });
  });
});
