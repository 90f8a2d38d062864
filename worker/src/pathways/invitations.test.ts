import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { codeIn, latestMailTo, mailTo, TestClient, uniqueEmail } from "../../test/client";
import { countQueries } from "../../test/counting";
import { createUser, signInAs } from "../../test/fixtures";
import {
  ACCEPT,
  award,
  awardsOf,
  createPathway,
  DECLINE,
  eventuallyAwarded,
  INVITE,
  JOIN,
  MY_PATHWAYS,
  outboxSettled,
  pathwaySetup,
  publishedPathway,
  SUBSCRIBERS,
  signedIn,
  subscribe,
} from "../../test/pathways";
import { attemptRow } from "../../test/throttling";
import { PATHWAY_INVITES_PER_INVITER, pathwayInviteKeys } from "../throttling/policies";

// Learners are invited by address and answer from My Pathways, whenever the address reaches their account.

const ADD_EMAIL = `mutation ($a: String!) { addEmail(address: $a) { __typename } }`;
const CONFIRM_EMAIL = `mutation ($a: String!, $c: String!) { confirmEmail(address: $a, code: $c) { __typename } }`;
const MERGE = `mutation ($a: String!, $p: String!, $c: String!) { mergeAccount(address: $a, password: $p, code: $c) { __typename } }`;

async function addVerifiedEmail(client: TestClient, address: string) {
  expect((await client.gql(ADD_EMAIL, { a: address })).addEmail.__typename).toBe("CodeSent");
  expect((await client.gql(CONFIRM_EMAIL, { a: address, c: codeIn(await latestMailTo(address)) })).confirmEmail.__typename).toBe("Email");
}

const ids = (list: { pathway: { id: string } }[]) => list.map((p) => p.pathway.id);

describe("inviting learners", () => {
  it("invites a list or a CSV all or nothing, once per address, with the same answer and email for any address", async () => {
    const s = await pathwaySetup();
    const pathway = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.a] });
    const member = await createUser();
    const stranger = uniqueEmail("nobody");
    const refused = (await s.ownerClient.gql(INVITE, { pathwayId: pathway.id, csv: `email\n${member.email}\nnot-an-address\n` }))
      .inviteToPathway;
    expect(refused).toMatchObject({ __typename: "InvitationListRejectedError", problems: [{ line: 3, field: "email" }] });
    const none = await env.DB.prepare("select count(*) as n from pathway_invitations where pathway_id = ?")
      .bind(pathway.id)
      .first<{ n: number }>();
    expect(none?.n).toBe(0);

    const csv = `name,email\nMia,${member.email.toUpperCase()}\nNo one,${stranger}\n`;
    expect((await s.ownerClient.gql(INVITE, { pathwayId: pathway.id, csv })).inviteToPathway).toEqual({
      __typename: "PathwayInvitationReport",
      addresses: 2,
      invited: 2,
      alreadyInvited: 0,
    });
    expect((await s.ownerClient.gql(INVITE, { pathwayId: pathway.id, emails: [member.email, stranger] })).inviteToPathway).toMatchObject({
      invited: 0,
      alreadyInvited: 2,
    });
    await outboxSettled();
    const [toMember, toStranger] = [await mailTo(member.email), await mailTo(stranger)];
    expect(toMember).toHaveLength(1);
    expect(toStranger).toHaveLength(1);
    // Whether an address has an account changes nothing in the email.
    expect(toMember[0]!.text.replaceAll(member.email, "X")).toBe(toStranger[0]!.text.replaceAll(stranger, "X"));
    expect(toMember[0]!.text).toContain("/pathways");
    const audits = await env.DB.prepare("select count(*) as n from audit_log where subject_id = ? and action = 'pathway.invited'")
      .bind(pathway.id)
      .first<{ n: number }>();
    expect(audits?.n).toBe(1);
  });

  it("limits invitation requests per inviter, refusing with RateLimitedError and inviting nobody; a rejected list costs nothing", async () => {
    const s = await pathwaySetup();
    const pathway = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.a] });
    const [inviterKey, issuerKey] = pathwayInviteKeys(s.issuerId, s.owner.id);
    const rejected = (await s.ownerClient.gql(INVITE, { pathwayId: pathway.id, emails: ["not-an-address"] })).inviteToPathway;
    expect(rejected.__typename).toBe("InvitationListRejectedError");
    expect(await attemptRow(inviterKey!)).toBeNull();
    // The inviter has used all but one of the hour's requests.
    const now = Date.now();
    await env.DB.prepare("insert into attempt_windows (key, attempts, window_started_at, expires_at) values (?, ?, ?, ?)")
      .bind(inviterKey!.key, PATHWAY_INVITES_PER_INVITER.limit - 1, now, now + PATHWAY_INVITES_PER_INVITER.windowMs)
      .run();
    const last = uniqueEmail("last");
    expect((await s.ownerClient.gql(INVITE, { pathwayId: pathway.id, emails: [last] })).inviteToPathway).toMatchObject({ invited: 1 });
    const refused = uniqueEmail("refused");
    const answer = (await s.ownerClient.gql(INVITE, { pathwayId: pathway.id, emails: [refused] })).inviteToPathway;
    expect(answer).toMatchObject({ __typename: "RateLimitedError", message: expect.stringContaining("You can send more in 60 minutes") });
    const invited = await env.DB.prepare("select email from pathway_invitations where pathway_id = ?")
      .bind(pathway.id)
      .all<{ email: string }>();
    expect(invited.results.map((r) => r.email)).toEqual([last]);
    // The issuer's count took the granted request only: a refused one hands its attempt back.
    expect((await attemptRow(issuerKey!))?.attempts).toBe(1);
  });

  it("refuses invitations to a draft and from a learner", async () => {
    const s = await pathwaySetup();
    const { id } = await createPathway(s);
    expect((await s.ownerClient.gql(INVITE, { pathwayId: id, emails: [uniqueEmail()] })).inviteToPathway).toMatchObject({
      __typename: "ValidationError",
    });
    const pathway = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.a] });
    const learner = await signedIn();
    expect((await learner.client.gql(INVITE, { pathwayId: pathway.id, emails: [uniqueEmail()] })).inviteToPathway.__typename).toBe(
      "NotFoundError",
    );
  });

  it("shows an invitation sent before the learner had the address, once it is verified, and accepts or declines it", async () => {
    const s = await pathwaySetup();
    const accepted = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.a] }, { name: "Accepted" });
    const declined = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.b] }, { name: "Declined" });
    const later = uniqueEmail("later");
    await s.ownerClient.gql(INVITE, { pathwayId: accepted.id, emails: [later] });
    await s.ownerClient.gql(INVITE, { pathwayId: declined.id, emails: [later] });
    const learner = await signedIn();
    expect((await learner.client.gql(MY_PATHWAYS)).myPathways.invitations).toEqual([]);
    expect((await learner.client.gql(ACCEPT, { pathwayId: accepted.id })).acceptPathwayInvitation.__typename).toBe("NotFoundError");

    await addVerifiedEmail(learner.client, later);
    const mine = (await learner.client.gql(MY_PATHWAYS)).myPathways;
    expect(ids(mine.invitations).sort()).toEqual([accepted.id, declined.id].sort());
    expect(mine.invitations.every((p: { invited: boolean; subscribed: boolean }) => p.invited && !p.subscribed)).toBe(true);

    expect((await learner.client.gql(ACCEPT, { pathwayId: accepted.id })).acceptPathwayInvitation.__typename).toBe("Pathway");
    expect((await learner.client.gql(ACCEPT, { pathwayId: accepted.id })).acceptPathwayInvitation.__typename).toBe("NotFoundError");
    expect((await learner.client.gql(DECLINE, { pathwayId: declined.id })).declinePathwayInvitation.__typename).toBe("Pathway");
    const after = (await learner.client.gql(MY_PATHWAYS)).myPathways;
    expect(ids(after.subscribed)).toEqual([accepted.id]);
    expect(after.invitations).toEqual([]);
    const states = await env.DB.prepare("select pathway_id, state, answered_by from pathway_invitations where email = ?")
      .bind(later)
      .all<{ pathway_id: string; state: string; answered_by: string }>();
    expect(Object.fromEntries(states.results.map((r) => [r.pathway_id, [r.state, r.answered_by]]))).toEqual({
      [accepted.id]: ["accepted", learner.user.id],
      [declined.id]: ["declined", learner.user.id],
    });
    const view = (await s.ownerClient.gql(SUBSCRIBERS, { id: accepted.id })).pathway.subscribers;
    expect(view).toMatchObject({ total: 1, completed: 0, items: [{ email: learner.user.email, met: false }] });
  });

  it("offers published pathways that require a badge I hold, and lets me join one", async () => {
    const s = await pathwaySetup();
    const learner = await signedIn();
    await award(s, s.badges.c, learner.user.email);
    const offered = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.c, s.badges.d] });
    await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.a] });
    const mine = (await learner.client.gql(MY_PATHWAYS)).myPathways;
    expect(ids(mine.opportunities)).toEqual([offered.id]);
    expect(mine.opportunities[0]).toMatchObject({ subscribed: false, stepsDone: 1, stepsRequired: 2 });
    expect((await learner.client.gql(JOIN, { pathwayId: offered.id })).joinPathway.__typename).toBe("Pathway");
    expect((await learner.client.gql(JOIN, { pathwayId: offered.id })).joinPathway.__typename).toBe("Pathway");
    const joined = (await learner.client.gql(MY_PATHWAYS)).myPathways;
    expect(ids(joined.subscribed)).toEqual([offered.id]);
    expect(joined.opportunities).toEqual([]);
    const audits = await env.DB.prepare("select count(*) as n from audit_log where subject_id = ? and action = 'pathway.joined'")
      .bind(offered.id)
      .first<{ n: number }>();
    expect(audits?.n).toBe(1);
  });

  it("reads My Pathways in at most three D1 queries, however many pathways, steps and badges", async () => {
    const s = await pathwaySetup();
    const learner = await signedIn();
    for (const name of ["One", "Two", "Three"]) {
      const pathway = await publishedPathway(
        s,
        {
          junction: "ALL",
          steps: [
            { name: "First", junction: "ALL", badgeClassIds: [s.badges.a, s.badges.b] },
            { name: "Second", junction: "AT_LEAST", requiredCount: 1, badgeClassIds: [s.badges.c, s.badges.d] },
          ],
        },
        { name },
      );
      await subscribe(s, pathway.id, learner);
    }
    await award(s, s.badges.a, learner.user.email);
    const { data, queries } = await countQueries(learner.user, MY_PATHWAYS);
    expect(data.myPathways.subscribed).toHaveLength(3);
    expect(data.myPathways.subscribed[0].nodes[1].badges[0].badgeClass.issuer.name).toBe("Northwind Teachers College");
    expect(queries).toBeLessThanOrEqual(3);
  });
});

describe("accounts that change", () => {
  it("counts badges of an address added later, and completes the pathway when it is verified", async () => {
    const s = await pathwaySetup();
    const learner = await signedIn();
    const pathway = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.a, s.badges.b] });
    await subscribe(s, pathway.id, learner);
    await award(s, s.badges.a, learner.user.email);
    const work = uniqueEmail("work");
    await award(s, s.badges.b, work);
    const before = (await learner.client.gql(MY_PATHWAYS)).myPathways.subscribed[0];
    expect(before).toMatchObject({ met: false, stepsDone: 1 });
    await addVerifiedEmail(learner.client, work);
    expect((await learner.client.gql(MY_PATHWAYS)).myPathways.subscribed[0]).toMatchObject({ met: true, stepsDone: 2 });
    await eventuallyAwarded(s.completion, learner.user.id);
  });

  it("moves subscriptions through a merge, and completes what the two accounts' badges complete together", async () => {
    const s = await pathwaySetup();
    const survivor = await signedIn();
    const other = await createUser({ password: "the other account's own passphrase" });
    const otherClient = new TestClient();
    await signInAs(otherClient, other);
    const both = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.a, s.badges.b] }, { name: "Both" });
    const theirs = await publishedPathway(s, { junction: "ALL", badgeClassIds: [s.badges.c] }, { name: "Theirs" });
    await subscribe(s, both.id, survivor);
    await subscribe(s, both.id, { user: other, client: otherClient });
    await subscribe(s, theirs.id, { user: other, client: otherClient });
    await award(s, s.badges.a, survivor.user.email);
    await award(s, s.badges.b, other.email);

    expect((await survivor.client.gql(MERGE, { a: other.email, p: other.password, c: "" })).mergeAccount.__typename).toBe("User");
    const mine = (await survivor.client.gql(MY_PATHWAYS)).myPathways;
    expect(ids(mine.subscribed).sort()).toEqual([both.id, theirs.id].sort());
    expect(mine.subscribed.find((p: { pathway: { id: string } }) => p.pathway.id === both.id)).toMatchObject({ met: true });
    await eventuallyAwarded(s.completion, survivor.user.id);
    const subscriptions = await env.DB.prepare("select count(*) as n from pathway_subscriptions where user_id = ?")
      .bind(other.id)
      .first<{ n: number }>();
    expect(subscriptions?.n).toBe(0);
    expect(await awardsOf(s.completion, survivor.user.id)).toHaveLength(1);
  });
});
