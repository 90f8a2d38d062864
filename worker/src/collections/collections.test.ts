import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AWARD, issuerWithBadgeClass, REVOKE } from "../../test/badges";
import { TestClient, uniqueEmail } from "../../test/client";
import { createUser, db, signInAs } from "../../test/fixtures";
import { race, racingContexts } from "../../test/race";
import { emails, type User } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import { base64ToBytes, sha256Hex } from "../lib/crypto";
import { deleteCollection, setCollectionBadges, updateCollection } from "./collections.service";

const FIELDS = "id name description publicUrl sharedAt badges { id }";
const ERRORS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";
const CREATE = `mutation ($input: CollectionInput!) { createCollection(input: $input) { ${ERRORS} ... on Collection { ${FIELDS} } } }`;
const SET = `mutation ($id: ID!, $awardIds: [ID!]!) { setCollectionBadges(id: $id, awardIds: $awardIds) { ${ERRORS} ... on Collection { ${FIELDS} } } }`;
const SHARE = `mutation ($id: ID!) { shareCollection(id: $id) { ${ERRORS} ... on Collection { ${FIELDS} } } }`;
const UNSHARE = `mutation ($id: ID!) { unshareCollection(id: $id) { ${ERRORS} ... on Collection { ${FIELDS} } } }`;
const DELETE = `mutation ($id: ID!) { deleteCollection(id: $id) { ${ERRORS} ... on CollectionDeleted { id } } }`;
const MINE = `{ myCollections { ${FIELDS} } }`;

/** A learner with three badges from one issuer, and the issuer's client to revoke with. */
async function learnerWithBadges() {
  const learner = await createUser({ firstName: "Grace" });
  const client = new TestClient();
  await signInAs(client, learner);
  const issuerClient = new TestClient();
  await signInAs(issuerClient, await createUser());
  const { badgeClass } = await issuerWithBadgeClass(issuerClient);
  const ids: string[] = [];
  for (const narrative of ["one", "two", "three"]) {
    ids.push((await issuerClient.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: learner.email, narrative } })).awardBadge.id);
  }
  return { client, issuerClient, ids };
}

const base64UrlBytes = (token: string) => base64ToBytes(token).length;

const publicGet = (url: string, accept = "application/json") =>
  new TestClient().request(url.replace("http://127.0.0.1:8787", ""), { headers: { accept } });

describe("collections", () => {
  it("groups own badges in order, shares them with a public page and JSON, and unshares", async () => {
    const { client, ids } = await learnerWithBadges();
    const created = (await client.gql(CREATE, { input: { name: "  Assessment work ", description: "For my portfolio" } })).createCollection;
    expect(created).toMatchObject({ __typename: "Collection", name: "Assessment work", publicUrl: null, badges: [] });
    const ordered = [ids[2], ids[0]];
    const set = (await client.gql(SET, { id: created.id, awardIds: ordered })).setCollectionBadges;
    expect(set.badges.map((b: { id: string }) => b.id)).toEqual(ordered);

    const shared = (await client.gql(SHARE, { id: created.id })).shareCollection;
    expect(shared.publicUrl).toMatch(/^http:\/\/127\.0\.0\.1:8787\/public\/collections\/[A-Za-z0-9_-]{22}$/);
    const response = await publicGet(shared.publicUrl);
    expect(response.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=60, must-revalidate");
    const json = (await response.json()) as Record<string, any>;
    expect(json).toMatchObject({ id: shared.publicUrl, name: "Assessment work", owner: "Grace User" });
    expect(json.badges.map((b: { assertion: string }) => b.assertion)).toEqual(
      ordered.map((id) => `http://127.0.0.1:8787/public/assertions/${id}`),
    );
    const page = await (await publicGet(shared.publicUrl, "text/html")).text();
    expect(page).toContain("<h1>Assessment work</h1>");
    expect(page).toContain('property="og:title" content="Assessment work · Grace User"');
    expect(page).toContain(`/public/assertions/${ordered[0]}`);

    // The link is shown this once: Laurel keeps only its hash, so later answers cannot repeat it.
    const [listed] = (await client.gql(MINE)).myCollections;
    expect(listed).toMatchObject({ publicUrl: null, sharedAt: expect.any(String) });
    expect((await client.gql(SET, { id: created.id, awardIds: ordered })).setCollectionBadges.publicUrl).toBeNull();

    expect((await client.gql(UNSHARE, { id: created.id })).unshareCollection).toMatchObject({ publicUrl: null, sharedAt: null });
    expect((await publicGet(shared.publicUrl)).status).toBe(404);
    const again = (await client.gql(SHARE, { id: created.id })).shareCollection;
    expect(again.publicUrl).not.toBe(shared.publicUrl);
    expect((await publicGet(shared.publicUrl)).status).toBe(404);
    expect((await publicGet(again.publicUrl)).status).toBe(200);
  });

  it("stores the link only as the SHA-256 of its 128-bit token, and finds it by that hash", async () => {
    const { client } = await learnerWithBadges();
    const created = (await client.gql(CREATE, { input: { name: "Hashed" } })).createCollection;
    const { publicUrl } = (await client.gql(SHARE, { id: created.id })).shareCollection;
    const token = publicUrl.split("/").at(-1);
    expect(base64UrlBytes(token)).toBe(16);
    const row = await env.DB.prepare("select * from collections where id = ?").bind(created.id).first<Record<string, unknown>>();
    expect(row?.share_token_hash).toBe(await sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const audit = await env.DB.prepare("select data from audit_log where subject_id = ?").bind(created.id).all();
    expect(JSON.stringify(audit.results)).not.toContain(token);
    // The hash itself, or a token one character off, opens nothing.
    expect((await publicGet(`/public/collections/${row?.share_token_hash}`)).status).toBe(404);
    const altered = `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`;
    expect((await publicGet(`/public/collections/${altered}`)).status).toBe(404);
    expect((await publicGet(publicUrl)).status).toBe(200);
  });

  it("purges the public page on a change although the link's token is not stored", async () => {
    const { client, ids } = await learnerWithBadges();
    const created = (await client.gql(CREATE, { input: { name: "Before" } })).createCollection;
    await client.gql(SET, { id: created.id, awardIds: [ids[0]] });
    const { publicUrl } = (await client.gql(SHARE, { id: created.id })).shareCollection;
    expect(((await (await publicGet(publicUrl)).json()) as { name: string }).name).toBe("Before");
    await client.gql(`mutation ($id: ID!, $input: CollectionInput!) { updateCollection(id: $id, input: $input) { __typename } }`, {
      id: created.id,
      input: { name: "After" },
    });
    expect(((await (await publicGet(publicUrl)).json()) as { name: string }).name).toBe("After");
    await client.gql(UNSHARE, { id: created.id });
    expect((await publicGet(publicUrl)).status).toBe(404);
  });

  it("refuses someone else's badge, changing nothing", async () => {
    const mine = await learnerWithBadges();
    const theirs = await learnerWithBadges();
    const created = (await mine.client.gql(CREATE, { input: { name: "Mine" } })).createCollection;
    await mine.client.gql(SET, { id: created.id, awardIds: [mine.ids[0]] });
    const refused = (await mine.client.gql(SET, { id: created.id, awardIds: [mine.ids[1], theirs.ids[0]] })).setCollectionBadges;
    expect(refused).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ field: "awardIds", message: "Only badges in your backpack can go in a collection." }],
    });
    const [after] = (await mine.client.gql(MINE)).myCollections;
    expect(after.badges).toEqual([{ id: mine.ids[0] }]);
    // Nor can anyone else see or change the collection.
    expect((await theirs.client.gql(SHARE, { id: created.id })).shareCollection.__typename).toBe("NotFoundError");
  });

  it("never shows revoked or hidden badges publicly", async () => {
    const { client, issuerClient, ids } = await learnerWithBadges();
    const created = (await client.gql(CREATE, { input: { name: "All" } })).createCollection;
    await client.gql(SET, { id: created.id, awardIds: ids });
    await issuerClient.gql(REVOKE, { awardId: ids[0], reason: "Issued in error" });
    await client.gql("mutation ($id: ID!) { hideBadge(id: $id) { __typename } }", { id: ids[1] });
    const shared = (await client.gql(SHARE, { id: created.id })).shareCollection;
    const json = (await (await publicGet(shared.publicUrl)).json()) as Record<string, any>;
    expect(json.badges.map((b: { assertion: string }) => b.assertion)).toEqual([`http://127.0.0.1:8787/public/assertions/${ids[2]}`]);
    // The owner still sees the hidden one in the editor.
    expect(shared.badges.map((b: { id: string }) => b.id)).toEqual([ids[1], ids[2]]);
  });

  it("checks names and deletes a collection with its link", async () => {
    const { client, ids } = await learnerWithBadges();
    const invalid = (await client.gql(CREATE, { input: { name: " ", description: "x".repeat(501) } })).createCollection;
    expect(invalid.fieldErrors.map((e: { field: string }) => e.field).sort()).toEqual(["description", "name"]);
    const created = (await client.gql(CREATE, { input: { name: "Temporary" } })).createCollection;
    await client.gql(SET, { id: created.id, awardIds: ids });
    const shared = (await client.gql(SHARE, { id: created.id })).shareCollection;
    expect((await client.gql(DELETE, { id: created.id })).deleteCollection).toMatchObject({
      __typename: "CollectionDeleted",
      id: created.id,
    });
    expect((await client.gql(MINE)).myCollections).toEqual([]);
    expect((await publicGet(shared.publicUrl)).status).toBe(404);
    expect((await client.gql(DELETE, { id: created.id })).deleteCollection.__typename).toBe("NotFoundError");
  });

  it("drops a badge from the public page when its address leaves the backpack", async () => {
    const { client, issuerClient, ids } = await learnerWithBadges();
    // A second verified address of the learner's, with a badge awarded to it.
    const work = uniqueEmail("work");
    const me = (await client.gql("{ me { id } }")).me;
    await db()
      .insert(emails)
      .values({ id: crypto.randomUUID(), userId: me.id, address: work, verifiedAt: new Date(), createdAt: new Date() });
    const { badgeClass } = await issuerWithBadgeClass(issuerClient);
    const workBadge = (await issuerClient.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: work, narrative: "work" } })).awardBadge
      .id;
    const created = (await client.gql(CREATE, { input: { name: "Both" } })).createCollection;
    await client.gql(SET, { id: created.id, awardIds: [workBadge, ids[0]] });
    const shared = (await client.gql(SHARE, { id: created.id })).shareCollection;
    expect(shared.badges.map((b: { id: string }) => b.id)).toEqual([workBadge, ids[0]]);

    const listed = (await client.gql("{ me { emails { id address } } }")).me.emails;
    const removed = (
      await client.gql("mutation ($id: ID!) { removeEmail(id: $id) { __typename } }", {
        id: listed.find((e: { address: string }) => e.address === work).id,
      })
    ).removeEmail;
    expect(removed.__typename).toBe("User");
    const json = (await (await publicGet(shared.publicUrl)).json()) as Record<string, any>;
    expect(json.badges.map((b: { assertion: string }) => b.assertion)).toEqual([`http://127.0.0.1:8787/public/assertions/${ids[0]}`]);
    expect((await client.gql(MINE)).myCollections[0].badges).toEqual([{ id: ids[0] }]);
    // Nor can it be put back.
    expect((await client.gql(SET, { id: created.id, awardIds: [workBadge] })).setCollectionBadges.__typename).toBe("ValidationError");
  });

  it("deletes once and audits once when the deletion races an edit, and unsharing what is not shared changes nothing", async () => {
    const { client, ids } = await learnerWithBadges();
    const me = (await client.gql("{ me { id } }")).me;
    const created = (await client.gql(CREATE, { input: { name: "Racing" } })).createCollection;
    expect((await client.gql(UNSHARE, { id: created.id })).unshareCollection.__typename).toBe("Collection");
    expect(await auditCount("collection.unshared", created.id)).toBe(0);

    const changes: ((ctx: AppContext, user: User) => Promise<unknown>)[] = [
      (ctx: AppContext, user: User) => deleteCollection(ctx, user, created.id),
      (ctx: AppContext, user: User) => deleteCollection(ctx, user, created.id),
      (ctx: AppContext, user: User) => setCollectionBadges(ctx, user, created.id, [ids[0]!]),
      (ctx: AppContext, user: User) => updateCollection(ctx, user, created.id, { name: "Renamed" }),
    ];
    const outcomes = await race(await racingContexts(changes.map(() => me.id)), (ctx, user, i) => changes[i]!(ctx, user));
    // Whichever ran first, one deletion happened; nothing else was written for the gone collection.
    expect(
      outcomes.filter((o) => o instanceof Error && o.message === "You have no collection with that id.").length,
    ).toBeGreaterThanOrEqual(1);
    expect(await auditCount("collection.deleted", created.id)).toBe(1);
    const audited = await env.DB.prepare("select action from audit_log where subject_id = ? and action != 'collection.created'")
      .bind(created.id)
      .all<{ action: string }>();
    const successes = outcomes.filter((o) => !(o instanceof Error)).length;
    expect(audited.results).toHaveLength(successes);
    const items = await env.DB.prepare("select count(*) as n from collection_items where collection_id = ?")
      .bind(created.id)
      .first<{ n: number }>();
    expect(items?.n).toBe(0);
  });
});

const auditCount = async (action: string, subjectId: string) =>
  (
    await env.DB.prepare("select count(*) as n from audit_log where action = ? and subject_id = ?")
      .bind(action, subjectId)
      .first<{ n: number }>()
  )?.n;
