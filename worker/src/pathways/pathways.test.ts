import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { joinIssuer, REVOKE } from "../../test/badges";
import { gqlUpload, TestClient, uniqueEmail } from "../../test/client";
import { fileOf, pngImage, svgImage } from "../../test/images";
import { definitionInput, SET_MICRO_CREDENTIAL } from "../../test/microcredentials";
import {
  ARCHIVE,
  award,
  awardsOf,
  CREATE_PATHWAY,
  createPathway,
  eventuallyAwarded,
  MY_PATHWAYS,
  outboxSettled,
  PATHWAY_PROGRESS,
  PUBLISH,
  pathwaySetup,
  publishedPathway,
  SET_TREE,
  SUBSCRIBERS,
  setTree,
  signedIn,
  subscribe,
} from "../../test/pathways";

// Issuers build pathways; learners' progress is what their badges say now.

const SHARE = `mutation ($pathwayId: ID!) { sharePathwayProgress(pathwayId: $pathwayId) {
  __typename ... on Error { message } ... on PathwayProgressShareLink { url createdAt } } }`;
const WITHDRAW = `mutation ($pathwayId: ID!) { withdrawPathwayProgressShare(pathwayId: $pathwayId) { __typename ... on Pathway { id } } }`;
const LEAVE = `mutation ($pathwayId: ID!) { leavePathway(pathwayId: $pathwayId) { __typename } }`;
const SHARED_AT = `query ($id: ID!) { pathwayProgress(pathwayId: $id) { sharedAt } }`;
const UPDATE = `mutation ($id: ID!, $input: PathwayInput!) { updatePathway(id: $id, input: $input) {
  __typename ... on ValidationError { fieldErrors { field message } } ... on Pathway { id imageUrl completionBadgeClass { id } } } }`;
const anonymous = (url: string) => new TestClient().request(url.replace("http://127.0.0.1:8787", ""), { headers: { accept: "text/html" } });

const progressOf = async (client: Parameters<typeof subscribe>[2]["client"], id: string) =>
  (await client.gql(PATHWAY_PROGRESS, { id })).pathwayProgress;

describe("building a pathway", () => {
  it("creates a draft, saves a nested tree, keeps step ids through reorder and nesting, and audits each change", async () => {
    const s = await pathwaySetup();
    const { id } = await createPathway(s);
    const first = await setTree(s, id, {
      junction: "ALL",
      steps: [
        { name: "Foundations", junction: "ALL", badgeClassIds: [s.badges.a] },
        { name: "Practice", junction: "AT_LEAST", requiredCount: 1, badgeClassIds: [s.badges.b, s.badges.c] },
      ],
    });
    expect(first.steps.map((st) => [st.name, st.depth])).toEqual([
      ["Foundations", 1],
      ["Practice", 1],
    ]);
    const [foundations, practice] = first.steps;
    // Practice moves first and Foundations nests under it, with a new child step beside it.
    const second = await setTree(s, id, {
      junction: "ALL",
      steps: [
        {
          id: practice!.id,
          name: "Practice",
          junction: "AT_LEAST",
          requiredCount: 2,
          badgeClassIds: [s.badges.b, s.badges.c],
          steps: [
            { id: foundations!.id, name: "Foundations", junction: "ALL", badgeClassIds: [s.badges.a] },
            { name: "Reflection", junction: "ALL", badgeClassIds: [s.badges.d], completionBadgeClassId: s.stepCompletion },
          ],
        },
      ],
    });
    expect(second.steps.map((st) => [st.id === practice!.id, st.id === foundations!.id, st.name, st.depth, st.parentId])).toEqual([
      [true, false, "Practice", 1, null],
      [false, true, "Foundations", 2, practice!.id],
      [false, false, "Reflection", 2, practice!.id],
    ]);
    expect((await s.ownerClient.gql(PUBLISH, { id })).publishPathway).toEqual({ __typename: "Pathway", id, state: "PUBLISHED" });
    expect((await s.ownerClient.gql(PUBLISH, { id })).publishPathway.state).toBe("PUBLISHED");
    const actions = await env.DB.prepare("select action from audit_log where subject_id = ? order by created_at, rowid")
      .bind(id)
      .all<{ action: string }>();
    expect(actions.results.map((a) => a.action)).toEqual([
      "pathway.created",
      "pathway.tree-updated",
      "pathway.tree-updated",
      "pathway.published",
    ]);
  });

  it("refuses a junction that cannot be met, unknown badges, another issuer's completion badge and empty published steps", async () => {
    const s = await pathwaySetup();
    const other = await pathwaySetup();
    const { id } = await createPathway(s);
    const refused = (
      await s.ownerClient.gql(SET_TREE, {
        id,
        tree: {
          junction: "AT_LEAST",
          requiredCount: 4,
          badgeClassIds: [s.badges.a, "no-such-badge"],
          steps: [{ name: "", junction: "ALL", badgeClassIds: [s.badges.b], completionBadgeClassId: other.completion }],
        },
      })
    ).setPathwayTree;
    expect(refused.__typename).toBe("ValidationError");
    expect(refused.fieldErrors.map((f: { field: string }) => f.field)).toEqual([
      "requiredCount",
      "steps.0.name",
      "badgeClassIds",
      "steps.0.completionBadgeClassId",
    ]);
    // Nothing was written.
    expect((await s.ownerClient.gql(`query ($id: ID!) { pathway(id: $id) { steps { id } } }`, { id })).pathway.steps).toEqual([]);
    // Another issuer's badges may be required.
    await setTree(s, id, { junction: "ALL", badgeClassIds: [other.badges.a], steps: [{ name: "Empty", junction: "ALL" }] });
    const publish = (await s.ownerClient.gql(PUBLISH, { id })).publishPathway;
    expect(publish).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ message: 'The step "Empty" requires nothing yet: add a badge or a step to it.' }],
    });
  });

  it("stores a pathway's picture as badge images are stored: a PNG, or an SVG rebuilt clean; active SVG is refused", async () => {
    const s = await pathwaySetup();
    const created = (
      await gqlUpload(
        s.ownerClient,
        CREATE_PATHWAY.replace("... on Pathway {", "... on Pathway { imageUrl"),
        { issuerId: s.issuerId, input: { name: "With a picture" } },
        { "input.image": fileOf(await pngImage(300, 120), "wide.png", "image/png") },
      )
    ).createPathway;
    expect(created.imageUrl).toMatch(/^http:\/\/127\.0\.0\.1:8787\/public\/images\/pathways\//);
    const png = await new TestClient().request(new URL(created.imageUrl).pathname);
    expect(png.headers.get("content-type")).toBe("image/png");
    const input = { name: "With a picture", completionBadgeClassId: s.completion };
    const refused = (
      await gqlUpload(
        s.ownerClient,
        UPDATE,
        { id: created.id, input },
        {
          "input.image": fileOf(svgImage(120, "<script>alert(1)</script>"), "a.svg", "image/svg+xml"),
        },
      )
    ).updatePathway;
    expect(refused).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ field: "image", message: expect.stringContaining("script") }],
    });
    const svg = (
      await gqlUpload(
        s.ownerClient,
        UPDATE,
        { id: created.id, input },
        {
          "input.image": fileOf(svgImage(120, "<metadata>editor</metadata>"), "b.svg", "image/svg+xml"),
        },
      )
    ).updatePathway;
    expect(svg).toMatchObject({ __typename: "Pathway", completionBadgeClass: { id: s.completion } });
    expect(svg.imageUrl).not.toBe(created.imageUrl);
    const served = await new TestClient().request(new URL(svg.imageUrl).pathname);
    expect(served.headers.get("content-type")).toBe("image/svg+xml");
    expect(await served.text()).not.toContain("metadata");
  });

  it("lets only owners and editors edit, and hides drafts from learners", async () => {
    const s = await pathwaySetup();
    const { id } = await createPathway(s);
    const awarder = await signedIn();
    await joinIssuer(s.ownerClient, s.issuerId, { email: awarder.user.email, client: awarder.client });
    const tree = { junction: "ALL", badgeClassIds: [s.badges.a] };
    expect((await awarder.client.gql(SET_TREE, { id, tree })).setPathwayTree.__typename).toBe("ForbiddenError");
    const stranger = await signedIn();
    expect((await stranger.client.gql(SET_TREE, { id, tree })).setPathwayTree.__typename).toBe("NotFoundError");
    expect(await progressOf(stranger.client, id)).toBeNull();
    const subscribers = await stranger.client.gqlResult(SUBSCRIBERS, { id });
    expect(subscribers.data?.pathway).toBeNull();
  });
});

describe("progress, computed when read", () => {
  it("counts nested all-of and at-least-N steps from badges on any verified email, and says what is next", async () => {
    const s = await pathwaySetup();
    const learner = await signedIn();
    const pathway = await publishedPathway(s, {
      junction: "ALL",
      steps: [
        { name: "Core", junction: "ALL", badgeClassIds: [s.badges.a, s.badges.b] },
        {
          name: "Electives",
          junction: "AT_LEAST",
          requiredCount: 1,
          steps: [
            { name: "Option C", junction: "ALL", badgeClassIds: [s.badges.c] },
            { name: "Option D", junction: "ALL", badgeClassIds: [s.badges.d] },
          ],
        },
      ],
    });
    await subscribe(s, pathway.id, learner);
    await award(s, s.badges.a, learner.user.email);
    let progress = await progressOf(learner.client, pathway.id);
    expect(progress).toMatchObject({ subscribed: true, met: false, stepsDone: 0, stepsRequired: 2, next: { name: "Core" } });
    expect(progress.nodes.map((n: { name: string; done: number; required: number }) => [n.name, n.done, n.required])).toEqual([
      ["Assessment Leader", 0, 2],
      ["Core", 1, 2],
      ["Electives", 0, 1],
      ["Option C", 0, 1],
      ["Option D", 0, 1],
    ]);
    const missing = progress.nodes[1].badges.find((b: { held: boolean }) => !b.held);
    expect(missing).toMatchObject({ microCredential: false, earnUrl: `http://127.0.0.1:8787/public/badges/${s.badges.b}` });
    // A micro-credential is earned by submitting evidence: its page, where it is started, says how.
    const set = (await s.ownerClient.gql(SET_MICRO_CREDENTIAL, { badgeClassId: s.badges.c, input: definitionInput() })).setMicroCredential;
    expect(set.__typename).toBe("MicroCredential");
    const optionC = { microCredential: true, earnUrl: `http://127.0.0.1:8787/micro-credentials/${s.badges.c}` };
    expect((await progressOf(learner.client, pathway.id)).nodes[3].badges).toMatchObject([optionC]);
    expect((await learner.client.gql(MY_PATHWAYS)).myPathways.subscribed[0].nodes[3].badges).toMatchObject([optionC]);
    await award(s, s.badges.b, learner.user.email);
    await award(s, s.badges.d, learner.user.email);
    progress = await progressOf(learner.client, pathway.id);
    expect(progress).toMatchObject({ met: true, stepsDone: 2, next: null });
    const mine = (await learner.client.gql(MY_PATHWAYS)).myPathways;
    expect(mine.subscribed.map((p: { pathway: { id: string }; met: boolean }) => [p.pathway.id, p.met])).toEqual([[pathway.id, true]]);
  });

  it("drops revoked and expired badges at once; the completion badge stays and the issuer sees who no longer qualifies", async () => {
    const s = await pathwaySetup();
    const learner = await signedIn();
    const pathway = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.a, s.badges.b] });
    await subscribe(s, pathway.id, learner);
    const a = await award(s, s.badges.a, learner.user.email);
    await award(s, s.badges.b, learner.user.email);
    const [completion] = await eventuallyAwarded(s.completion, learner.user.id);
    expect((await s.ownerClient.gql(REVOKE, { awardId: a.id, reason: "Awarded in error." })).revokeAward.status).toBe("REVOKED");
    expect(await progressOf(learner.client, pathway.id)).toMatchObject({ met: false, stepsDone: 1, stepsRequired: 2 });
    const view = (await s.ownerClient.gql(SUBSCRIBERS, { id: pathway.id })).pathway.subscribers;
    expect(view).toMatchObject({ total: 1, completed: 1, noLongerQualifying: 1 });
    expect(view.items[0]).toMatchObject({
      email: learner.user.email,
      met: false,
      noLongerQualifies: true,
      completionAwardId: completion!.id,
    });
    expect((await awardsOf(s.completion, learner.user.id))[0]!.revoked_at).toBeNull();

    // An award that has expired no longer counts either.
    await award(s, s.badges.a, learner.user.email, { issuedOn: "2020-01-01", expiresOn: "2021-01-01" });
    expect((await progressOf(learner.client, pathway.id)).met).toBe(false);
    await award(s, s.badges.a, learner.user.email);
    expect((await progressOf(learner.client, pathway.id)).met).toBe(true);
  });

  it("shares my progress publicly under a secret link, without my email, until I withdraw it or leave", async () => {
    const s = await pathwaySetup();
    const learner = await signedIn();
    const pathway = await publishedPathway(s, {
      junction: "ALL",
      steps: [{ name: "Core step", junction: "ALL", badgeClassIds: [s.badges.a, s.badges.b] }],
    });
    expect((await learner.client.gql(SHARE, { pathwayId: pathway.id })).sharePathwayProgress.__typename).toBe("NotFoundError");
    await subscribe(s, pathway.id, learner);
    await award(s, s.badges.a, learner.user.email);
    const shared = (await learner.client.gql(SHARE, { pathwayId: pathway.id })).sharePathwayProgress;
    expect(shared.url).toMatch(/^http:\/\/127\.0\.0\.1:8787\/public\/pathway-progress\/[A-Za-z0-9_-]{22}$/);
    const token = shared.url.split("/").at(-1);
    const row = await env.DB.prepare("select token_hash from pathway_progress_shares where pathway_id = ?")
      .bind(pathway.id)
      .first<{ token_hash: string }>();
    expect(row?.token_hash).not.toContain(token);
    expect(row?.token_hash).toHaveLength(64);
    expect((await learner.client.gql(SHARED_AT, { id: pathway.id })).pathwayProgress.sharedAt).toBe(shared.createdAt);

    const response = await anonymous(shared.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const page = await response.text();
    expect(page).toContain("<h1>Assessment Leader</h1>");
    expect(page).toContain("Core step");
    expect(page).toMatch(/✓ <a href="[^"]+">Badge A<\/a> <small>[^<]*<\/small> · earned/);
    expect(page).toContain(`/public/badges/${s.badges.b}">Badge B</a> <small>by`);
    expect(page).not.toContain(learner.user.email);
    // Always current: the next award shows at once.
    await award(s, s.badges.b, learner.user.email);
    expect(await (await anonymous(shared.url)).text()).toMatch(/✓ <a href="[^"]+">Badge B<\/a> <small>[^<]*<\/small> · earned/);
    // A hash, a near miss or garbage opens nothing.
    for (const wrong of [row!.token_hash, `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, "x"]) {
      expect((await anonymous(`/public/pathway-progress/${wrong}`)).status).toBe(404);
    }

    // Sharing again replaces the link; withdrawing stops it at once, and twice is audited once.
    const again = (await learner.client.gql(SHARE, { pathwayId: pathway.id })).sharePathwayProgress;
    expect((await anonymous(shared.url)).status).toBe(404);
    expect((await anonymous(again.url)).status).toBe(200);
    expect((await learner.client.gql(WITHDRAW, { pathwayId: pathway.id })).withdrawPathwayProgressShare.__typename).toBe("Pathway");
    expect((await learner.client.gql(WITHDRAW, { pathwayId: pathway.id })).withdrawPathwayProgressShare.__typename).toBe("Pathway");
    expect((await anonymous(again.url)).status).toBe(404);
    expect((await learner.client.gql(SHARED_AT, { id: pathway.id })).pathwayProgress.sharedAt).toBeNull();
    const audits = await env.DB.prepare(
      "select action, count(*) as n from audit_log where subject_id = ? and action like 'pathway.progress-%' group by action order by action",
    )
      .bind(pathway.id)
      .all<{ action: string; n: number }>();
    expect(audits.results).toEqual([
      { action: "pathway.progress-shared", n: 2 },
      { action: "pathway.progress-unshared", n: 1 },
    ]);
    // Leaving the pathway withdraws its link too.
    const last = (await learner.client.gql(SHARE, { pathwayId: pathway.id })).sharePathwayProgress;
    await learner.client.gql(LEAVE, { pathwayId: pathway.id });
    expect((await anonymous(last.url)).status).toBe(404);
  });

  it("follows an edit of a published pathway at once", async () => {
    const s = await pathwaySetup();
    const learner = await signedIn();
    const pathway = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.a, s.badges.b] });
    await subscribe(s, pathway.id, learner);
    await award(s, s.badges.a, learner.user.email);
    expect(await progressOf(learner.client, pathway.id)).toMatchObject({ met: false, stepsDone: 1, stepsRequired: 2 });
    await setTree(s, pathway.id, { junction: "AT_LEAST", requiredCount: 1, badgeClassIds: [s.badges.a, s.badges.b] });
    expect(await progressOf(learner.client, pathway.id)).toMatchObject({ met: true, stepsDone: 1, stepsRequired: 1 });
  });
});

describe("completion badges", () => {
  it("awards the step's and the pathway's completion badge once each, audited, and emails the learner", async () => {
    const s = await pathwaySetup();
    const learner = await signedIn();
    const pathway = await publishedPathway(s, {
      junction: "ALL",
      steps: [
        { name: "Core", junction: "ALL", badgeClassIds: [s.badges.a], completionBadgeClassId: s.stepCompletion },
        { name: "More", junction: "ALL", badgeClassIds: [s.badges.b] },
      ],
    });
    await subscribe(s, pathway.id, learner);
    await award(s, s.badges.a, learner.user.email);
    await eventuallyAwarded(s.stepCompletion, learner.user.id);
    expect(await awardsOf(s.completion, learner.user.id)).toEqual([]);
    await award(s, s.badges.b, learner.user.email);
    await eventuallyAwarded(s.completion, learner.user.id);
    await outboxSettled();
    expect(await awardsOf(s.stepCompletion, learner.user.id)).toHaveLength(1);
    const audits = await env.DB.prepare("select action, data from audit_log where subject_id = ? and action like 'pathway.complet%'")
      .bind(pathway.id)
      .all<{ action: string }>();
    expect(audits.results.map((a) => a.action)).toEqual(["pathway.completed", "pathway.completed"]);
    const mail = await env.DB.prepare(`select subject from email_outbox where "to" = ? and subject like '%Pathway Complete%'`)
      .bind(learner.user.email)
      .all();
    expect(mail.results).toHaveLength(1);
    const progress = await progressOf(learner.client, pathway.id);
    expect(progress.completedAt).not.toBeNull();
  });

  it("awards retroactively: on accepting, on an edit that makes learners qualify, and on publishing again, never while archived", async () => {
    const s = await pathwaySetup();
    const early = await signedIn();
    await award(s, s.badges.a, early.user.email);
    await award(s, s.badges.b, early.user.email);
    const later = await signedIn();
    await award(s, s.badges.a, later.user.email);
    const pathway = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.a, s.badges.b] });
    // Badges earned before subscribing count.
    await subscribe(s, pathway.id, early);
    await eventuallyAwarded(s.completion, early.user.id);
    await subscribe(s, pathway.id, later);
    // An edit: one of the two is enough now.
    await setTree(s, pathway.id, { junction: "AT_LEAST", requiredCount: 1, badgeClassIds: [s.badges.a, s.badges.b] });
    await eventuallyAwarded(s.completion, later.user.id);

    const third = await signedIn();
    await subscribe(s, pathway.id, third);
    expect((await s.ownerClient.gql(ARCHIVE, { id: pathway.id })).archivePathway.state).toBe("ARCHIVED");
    await award(s, s.badges.c, third.user.email);
    await award(s, s.badges.b, third.user.email);
    await outboxSettled();
    expect(await awardsOf(s.completion, third.user.id)).toEqual([]);
    expect((await s.ownerClient.gql(PUBLISH, { id: pathway.id })).publishPathway.state).toBe("PUBLISHED");
    await eventuallyAwarded(s.completion, third.user.id);
    await outboxSettled();
    expect(await awardsOf(s.completion, early.user.id)).toHaveLength(1);
    expect(await awardsOf(s.completion, later.user.id)).toHaveLength(1);
  });

  it("awards exactly once when 20 awards complete the pathway at the same time", async () => {
    const s = await pathwaySetup();
    const learner = await signedIn();
    const second = uniqueEmail("second");
    await env.DB.prepare("insert into emails (id, user_id, address, is_primary, verified_at, created_at) values (?, ?, ?, 0, ?, ?)")
      .bind(crypto.randomUUID(), learner.user.id, second, Date.now(), Date.now())
      .run();
    const pathway = await publishedPathway(s, {
      junction: "AT_LEAST",
      requiredCount: 2,
      badgeClassIds: [s.badges.a, s.badges.b, s.badges.c],
    });
    await subscribe(s, pathway.id, learner);
    const classes = [s.badges.a, s.badges.b, s.badges.c];
    await Promise.all(Array.from({ length: 20 }, (_, i) => award(s, classes[i % 3]!, i % 2 ? second : learner.user.email)));
    await eventuallyAwarded(s.completion, learner.user.id);
    await outboxSettled();
    expect(await awardsOf(s.completion, learner.user.id)).toHaveLength(1);
    const completions = await env.DB.prepare("select count(*) as n from pathway_completions where pathway_id = ? and user_id = ?")
      .bind(pathway.id, learner.user.id)
      .first<{ n: number }>();
    expect(completions?.n).toBe(1);
    const audits = await env.DB.prepare("select count(*) as n from audit_log where subject_id = ? and action = 'pathway.completed'")
      .bind(pathway.id)
      .first<{ n: number }>();
    expect(audits?.n).toBe(1);
    const mail = await env.DB.prepare(`select count(*) as n from email_outbox where "to" = ? and subject like '%Pathway Complete%'`)
      .bind(learner.user.email)
      .first<{ n: number }>();
    expect(mail?.n).toBe(1);
  });
});
