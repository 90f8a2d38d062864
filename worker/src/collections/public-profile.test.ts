import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AWARD, issuerWithBadgeClass } from "../../test/badges";
import { TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";

const UPDATE = `mutation ($h: String, $l: [SocialLinkInput!], $i: [String!]) { updateProfile(headline: $h, socialLinks: $l, institutions: $i) { __typename } }`;
const SHOW = `mutation ($shown: Boolean!) { showProfilePublicly(shown: $shown) { __typename ... on Profile { shownPublicly } } }`;
const COLLECTION = `mutation ($input: CollectionInput!) { createCollection(input: $input) { ... on Collection { id } } }`;
const SET = `mutation ($id: ID!, $awardIds: [ID!]!) { setCollectionBadges(id: $id, awardIds: $awardIds) { __typename } }`;
const SHARE = `mutation ($id: ID!) { shareCollection(id: $id) { ... on Collection { publicUrl } } }`;
const HIDE = `mutation ($id: ID!) { hideBadge(id: $id) { __typename } }`;

const page = async (url: string) =>
  (await new TestClient().request(url.replace("http://127.0.0.1:8787", ""), { headers: { accept: "text/html" } })).text();

/** A learner with a filled-in profile, two badges and a shared collection of them. */
async function learnerWithPublicPages() {
  const learner = await createUser({ firstName: "Grace" });
  const client = new TestClient();
  await signInAs(client, learner);
  await client.gql(UPDATE, {
    h: "Compiler teacher, year 12",
    l: [{ label: "Portfolio", url: "https://grace.example.org/" }],
    i: ["Vassar College"],
  });
  const issuerClient = new TestClient();
  await signInAs(issuerClient, await createUser());
  const { badgeClass } = await issuerWithBadgeClass(issuerClient);
  const ids: string[] = [];
  for (const narrative of ["one", "two"]) {
    ids.push((await issuerClient.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: learner.email, narrative } })).awardBadge.id);
  }
  const { id } = (await client.gql(COLLECTION, { input: { name: "Teaching" } })).createCollection;
  await client.gql(SET, { id, awardIds: ids });
  const { publicUrl } = (await client.gql(SHARE, { id })).shareCollection;
  return { learner, client, ids, badgeUrl: `/public/assertions/${ids[0]}`, collectionUrl: publicUrl as string };
}

describe("the learner's profile on their public pages", () => {
  it("is not shown until the learner turns it on, then shows at once on badge and collection pages, and goes at once when turned off", async () => {
    const { learner, client, ids, badgeUrl, collectionUrl } = await learnerWithPublicPages();
    // Cached at the edge before the switch: the switch purges them.
    for (const html of [await page(badgeUrl), await page(collectionUrl)]) {
      expect(html).not.toContain("Compiler teacher, year 12");
      expect(html).not.toContain("grace.example.org");
    }

    expect((await client.gql(SHOW, { shown: true })).showProfilePublicly).toEqual({ __typename: "Profile", shownPublicly: true });
    const badge = await page(badgeUrl);
    expect(badge).toContain("Earned by <strong>Grace User</strong>");
    expect(badge).toContain("<p>Compiler teacher, year 12</p>");
    expect(badge).toContain("Studied with Vassar College");
    expect(badge).toContain('<a href="https://grace.example.org/" rel="me noopener nofollow">Portfolio</a>');
    expect(await page(`/public/assertions/${ids[1]}`)).toContain("Earned by <strong>Grace User</strong>");
    expect(await page(collectionUrl)).toContain("Collected by <strong>Grace User</strong>");

    await client.gql(SHOW, { shown: false });
    for (const html of [await page(badgeUrl), await page(collectionUrl)]) {
      expect(html).not.toContain("Compiler teacher, year 12");
      expect(html).not.toContain("grace.example.org");
    }
    const actions = await env.DB.prepare(
      "select action from audit_log where subject_id = ? and action like 'account.profile-%' order by created_at",
    )
      .bind(learner.id)
      .all<{ action: string }>();
    expect(actions.results.map((a) => a.action)).toEqual(["account.profile-updated", "account.profile-shown", "account.profile-hidden"]);
  });

  it("is left off a badge the learner hid from their backpack", async () => {
    const { client, ids } = await learnerWithPublicPages();
    await client.gql(SHOW, { shown: true });
    await client.gql(HIDE, { id: ids[1] });
    expect(await page(`/public/assertions/${ids[1]}`)).not.toContain("Compiler teacher");
    expect(await page(`/public/assertions/${ids[0]}`)).toContain("Compiler teacher");
  });

  it("escapes what the learner wrote", async () => {
    const { client, badgeUrl } = await learnerWithPublicPages();
    await client.gql(UPDATE, { h: `<img src=x onerror="alert(1)">`, l: [{ label: `"><script>`, url: "https://x.example.org/" }] });
    await client.gql(SHOW, { shown: true });
    const html = await page(badgeUrl);
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).not.toContain("<script>");
  });
});
