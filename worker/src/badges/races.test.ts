import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AWARD, BULK, insertMembership, issuerWithBadgeClass } from "../../test/badges";
import { TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { race, racingContexts } from "../../test/race";
import { awardBadge, revokeAward, setAwardVisibility } from "./awards.service";
import { bulkAward } from "./bulk-award";
import { removeIssuerMember, setIssuerMemberRole } from "./issuers.service";

// Requests that race each other: the database decides who changed something, and only that
// change is audited.

async function issuerOwner() {
  const owner = await createUser();
  const client = new TestClient();
  await signInAs(client, owner);
  const { issuer, badgeClass } = await issuerWithBadgeClass(client);
  return { owner, client, issuer, badgeClass };
}

const auditCount = async (action: string, subjectId: string) =>
  (
    await env.DB.prepare("select count(*) as n from audit_log where action = ? and subject_id = ?")
      .bind(action, subjectId)
      .first<{ n: number }>()
  )?.n;

const eventsFor = async (kind: string, awardId: string) =>
  (
    await env.DB.prepare("select count(*) as n from outbox_events where kind = ? and json_extract(payload, '$.awardId') = ?")
      .bind(kind, awardId)
      .first<{ n: number }>()
  )?.n;

const messageOf = (outcome: unknown) => (outcome instanceof Error ? outcome.message : "ok");

describe("racing revocations", () => {
  it("revoke once and audit once when five arrive together", async () => {
    const { owner, client, badgeClass } = await issuerOwner();
    const recipient = uniqueEmail();
    const created = (await client.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: recipient } })).awardBadge;
    const outcomes = await race(await racingContexts(Array(5).fill(owner.id)), (ctx, user) =>
      revokeAward(ctx, user, { awardId: created.id, reason: "Wrong cohort." }),
    );
    expect(outcomes.map(messageOf).sort()).toEqual([...Array(4).fill("This award is already revoked."), "ok"]);
    expect(await auditCount("award.revoked", created.id)).toBe(1);
    expect(await eventsFor("award.revoked", created.id)).toBe(1);
  });
});

describe("awarding with an idempotency key", () => {
  it("makes one award for 20 identical calls at once, and answers each with it", async () => {
    const { owner, badgeClass } = await issuerOwner();
    const recipient = uniqueEmail();
    const key = crypto.randomUUID();
    const outcomes = await race(await racingContexts(Array(20).fill(owner.id)), (ctx, user) =>
      awardBadge(ctx, user, badgeClass.id, { email: recipient, narrative: "Led the workshop." }, key),
    );
    const ids = new Set(outcomes.map((o) => (o instanceof Error ? o.message : o.id)));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    const rows = await env.DB.prepare("select id from awards where recipient_email = ?").bind(recipient).all<{ id: string }>();
    expect(rows.results.map((r) => r.id)).toEqual([id]);
    expect(await auditCount("award.created", id!)).toBe(1);
    expect(await eventsFor("award.created", id!)).toBe(1);
    // The losers wrote no email intent for the awards they did not make.
    const orphans = await env.DB.prepare(
      "select count(*) as n from outbox_events where kind = 'award.created' and json_extract(payload, '$.awardId') not in (select id from awards)",
    ).first<{ n: number }>();
    expect(orphans?.n).toBe(0);
  });

  it("returns the first award for a retry, refuses the key with a different request, and needs a sane key", async () => {
    const { client, badgeClass } = await issuerOwner();
    const recipient = uniqueEmail();
    const key = crypto.randomUUID();
    const send = (input: Record<string, unknown>, idempotencyKey: string | null = key) =>
      client.gql(
        `mutation ($b: ID!, $input: AwardInput!, $k: String) { awardBadge(badgeClassId: $b, input: $input, idempotencyKey: $k) {
          __typename ... on Error { message } ... on ValidationError { fieldErrors { field } } ... on Award { id } } }`,
        { b: badgeClass.id, input, k: idempotencyKey },
      );
    const first = (await send({ email: recipient })).awardBadge;
    expect(first.__typename).toBe("Award");
    // The same request, as a client retrying it would send it (the address typed the same way).
    expect((await send({ email: ` ${recipient.toUpperCase()} ` })).awardBadge).toEqual(first);
    expect((await send({ email: recipient, narrative: "Another award." })).awardBadge).toEqual({
      __typename: "IdempotencyKeyReusedError",
      message: "This idempotency key was already used for a different award. Send a new key for a new award.",
    });
    expect((await send({ email: recipient }, "short")).awardBadge).toMatchObject({
      __typename: "ValidationError",
      fieldErrors: [{ field: "idempotencyKey" }],
    });
    // Without a key, each call is a new award.
    expect((await send({ email: recipient }, null)).awardBadge.id).not.toBe(first.id);
    const count = await env.DB.prepare("select count(*) as n from awards where recipient_email = ?").bind(recipient).first<{ n: number }>();
    expect(count?.n).toBe(2);
  });
});

describe("bulk awards and revocations with an idempotency key", () => {
  it("upload once for 20 identical calls at once, answering each with the first report, and refuse the key for other rows", async () => {
    const { owner, badgeClass } = await issuerOwner();
    const [a, b] = [uniqueEmail(), uniqueEmail()];
    const key = crypto.randomUUID();
    const outcomes = await race(await racingContexts(Array(20).fill(owner.id)), (ctx, user) =>
      bulkAward(ctx, user, badgeClass.id, `email,name\n${a},Ada\n${b},Bo\n`, key),
    );
    expect(outcomes).toEqual(Array(20).fill({ created: 2, alreadyAwarded: 0, rows: 2 }));
    const rows = await env.DB.prepare("select id from awards where recipient_email in (?, ?)").bind(a, b).all<{ id: string }>();
    expect(rows.results).toHaveLength(2);
    expect(await auditCount("award.bulk", badgeClass.id)).toBe(1);
    for (const { id } of rows.results) expect(await eventsFor("award.created", id)).toBe(1);

    const [ctx] = await racingContexts([owner.id]);
    const other = uniqueEmail();
    await expect(bulkAward(ctx!.ctx, ctx!.user, badgeClass.id, `email\n${other}\n`, key)).rejects.toThrow(
      "This idempotency key was already used for a different bulk award.",
    );
    const none = await env.DB.prepare("select count(*) as n from awards where recipient_email = ?").bind(other).first<{ n: number }>();
    expect(none?.n).toBe(0);
  });

  it("revoke once for 20 identical calls at once, answering each with the revoked award", async () => {
    const { owner, client, badgeClass } = await issuerOwner();
    const created = (await client.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: uniqueEmail() } })).awardBadge;
    const key = crypto.randomUUID();
    const outcomes = await race(await racingContexts(Array(20).fill(owner.id)), (ctx, user) =>
      revokeAward(ctx, user, { awardId: created.id, reason: "Wrong cohort." }, key),
    );
    expect(outcomes.map(messageOf)).toEqual(Array(20).fill("ok"));
    expect(new Set(outcomes.map((o) => (o as { revokedAt: Date }).revokedAt.getTime())).size).toBe(1);
    expect(await auditCount("award.revoked", created.id)).toBe(1);
    expect(await eventsFor("award.revoked", created.id)).toBe(1);
    // A later retry still gets the award; another key, or none, is told it is already revoked.
    const retry = `mutation ($id: ID!, $k: String) { revokeAward(awardId: $id, reason: "Wrong cohort.", idempotencyKey: $k) {
      __typename ... on Error { message } ... on Award { id status } } }`;
    expect((await client.gql(retry, { id: created.id, k: key })).revokeAward).toEqual({
      __typename: "Award",
      id: created.id,
      status: "REVOKED",
    });
    expect((await client.gql(retry, { id: created.id, k: crypto.randomUUID() })).revokeAward.__typename).toBe("ValidationError");
    expect((await client.gql(retry, { id: created.id, k: null })).revokeAward.__typename).toBe("ValidationError");
  });
});

describe("racing backpack changes", () => {
  it("accept and hide each change and audit once, however often they are sent at once", async () => {
    const { client, badgeClass } = await issuerOwner();
    const learner = await createUser();
    const created = (await client.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: learner.email } })).awardBadge;
    for (const change of ["accept", "hide", "show"] as const) {
      const outcomes = await race(await racingContexts(Array(3).fill(learner.id)), (ctx, user) =>
        setAwardVisibility(ctx, user, created.id, change),
      );
      expect(outcomes.map(messageOf)).toEqual(["ok", "ok", "ok"]);
      expect(await auditCount(`award.${change}`, created.id)).toBe(1);
    }
    // Accepting again changes nothing and is not audited.
    const again = await race(await racingContexts([learner.id]), (ctx, user) => setAwardVisibility(ctx, user, created.id, "accept"));
    expect(messageOf(again[0])).toBe("ok");
    expect(await auditCount("award.accept", created.id)).toBe(1);
  });
});

describe("racing membership changes", () => {
  it("keeps an owner when two owners demote each other at once", async () => {
    const { owner, issuer } = await issuerOwner();
    const second = await createUser();
    await insertMembership(issuer.id, second.id, "owner");
    const outcomes = await race(await racingContexts([owner.id, second.id]), (ctx, user) =>
      setIssuerMemberRole(ctx, user, { issuerId: issuer.id, userId: user.id === owner.id ? second.id : owner.id, role: "editor" }),
    );
    expect(outcomes.map(messageOf).sort()).toEqual(["An issuer needs at least one owner. Make someone else owner first.", "ok"]);
    const owners = await env.DB.prepare("select count(*) as n from issuer_members where issuer_id = ? and role = 'owner'")
      .bind(issuer.id)
      .first<{ n: number }>();
    expect(owners?.n).toBe(1);
    expect(await auditCount("issuer.member-set", issuer.id)).toBe(1);
  });

  it("removes a member once, and audits once, when the removal is sent three times at once", async () => {
    const { owner, issuer } = await issuerOwner();
    const awarder = await createUser();
    await insertMembership(issuer.id, awarder.id, "awarder");
    const outcomes = await race(await racingContexts(Array(3).fill(owner.id)), (ctx, user) =>
      removeIssuerMember(ctx, user, { issuerId: issuer.id, userId: awarder.id }),
    );
    expect(outcomes.map(messageOf).sort()).toEqual([
      "That person is not a member of this issuer.",
      "That person is not a member of this issuer.",
      "ok",
    ]);
    expect(await auditCount("issuer.member-removed", issuer.id)).toBe(1);
  });
});

describe("bulk awards", () => {
  it("are audited only when an upload awarded something", async () => {
    const { owner, client, badgeClass } = await issuerOwner();
    const csv = `email\n${uniqueEmail()}\n${uniqueEmail()}\n`;
    expect((await client.gql(BULK, { badgeClassId: badgeClass.id, csv })).bulkAward.created).toBe(2);
    expect((await client.gql(BULK, { badgeClassId: badgeClass.id, csv })).bulkAward.alreadyAwarded).toBe(2);
    expect(await auditCount("award.bulk", badgeClass.id)).toBe(1);
    // Two identical uploads at once: one awards, one finds everything awarded.
    const other = `email\n${uniqueEmail()}\n`;
    const reports = await race(await racingContexts([owner.id, owner.id]), (ctx, user) => bulkAward(ctx, user, badgeClass.id, other));
    expect(reports.map((r) => (r instanceof Error ? r.message : r.created)).sort()).toEqual([0, 1]);
    expect(await auditCount("award.bulk", badgeClass.id)).toBe(2);
  });
});
