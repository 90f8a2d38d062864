import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BACKPACK, inviteAndAccept } from "../../test/badges";
import { deliveredMailTo } from "../../test/client";
import { createUser } from "../../test/fixtures";
import {
  CLAIM,
  DECIDE,
  failingScores,
  microCredential,
  passingScores,
  QUEUE,
  RESUBMIT,
  SAVE,
  SUBMISSION_QUERY,
  signedIn,
  submitted,
  WITHDRAW,
} from "../../test/microcredentials";
import { race, racingContexts } from "../../test/race";
import { getUserById } from "../accounts/accounts.service";
import { backgroundContext } from "../context";
import { createDb } from "../database";
import { CLAIM_MS, claimSubmission, decideSubmission, listQueue } from "./reviews.service";

// The assessor's side: claiming, scoring and deciding, and every decision that is refused.

const count = async (sql: string, ...params: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...params)
      .first<{ n: number }>()
  )?.n ?? 0;

describe("claiming a submission", () => {
  it("puts it in review for one assessor; another is told it is claimed until the claim lapses", async () => {
    const s = await microCredential();
    const work = await submitted(s);
    const claimed = (await s.assessorClient.gql(CLAIM, { id: work.id })).claimSubmission;
    expect(claimed).toMatchObject({ state: "IN_REVIEW", claimed: true, claimedByMe: true });
    const other = (await s.ownerClient.gql(CLAIM, { id: work.id })).claimSubmission;
    expect(other.__typename).toBe("SubmissionClaimedError");
    const decideOther = (await s.ownerClient.gql(DECIDE, { id: work.id, decision: "AWARDED", scores: passingScores(s) })).decideSubmission;
    expect(decideOther.__typename).toBe("SubmissionClaimedError");
    // The claim lapses: the owner may take it.
    await env.DB.prepare("update submissions set claimed_until = ? where id = ?")
      .bind(Date.now() - 1, work.id)
      .run();
    const taken = (await s.ownerClient.gql(CLAIM, { id: work.id })).claimSubmission;
    expect(taken).toMatchObject({ state: "IN_REVIEW", claimedByMe: true });
    const late = (await s.assessorClient.gql(DECIDE, { id: work.id, decision: "AWARDED", scores: passingScores(s) })).decideSubmission;
    expect(late.__typename).toBe("SubmissionClaimedError");
  });

  it("lapses after two hours by the clock: the work is free again, another assessor takes it, and the first can no longer decide", async () => {
    const s = await microCredential();
    const work = await submitted(s);
    const ctx = backgroundContext(env, { waitUntil: () => undefined });
    const [assessor, owner] = [(await getUserById(ctx, s.assessor.id))!, (await getUserById(ctx, s.owner.id))!];
    const claimed = await claimSubmission(ctx, assessor, work.id);
    const claimedAt = ctx.now();
    await expect(claimSubmission(ctx, owner, work.id)).rejects.toMatchObject({ name: "SubmissionClaimedError" });
    // Nobody touches the row: only time passes.
    const later = { ...ctx, now: () => claimed.claimedUntil!.getTime() + 1 };
    expect(claimed.claimedUntil!.getTime() - claimedAt).toBeLessThanOrEqual(CLAIM_MS);
    const taken = await claimSubmission(later, owner, work.id);
    expect(taken).toMatchObject({ state: "in_review", claimedBy: owner.id });
    expect(taken.claimedUntil!.getTime()).toBe(later.now() + CLAIM_MS);
    await expect(decideSubmission(later, assessor, work.id, { decision: "awarded", scores: passingScores(s) })).rejects.toMatchObject({
      name: "SubmissionClaimedError",
    });
    expect(await count("select count(*) as n from submission_reviews where submission_id = ?", work.id)).toBe(0);
  });

  it("is refused for a draft, a withdrawn submission, the learner, and members of other issuers", async () => {
    const s = await microCredential();
    const work = await submitted(s);
    expect((await s.learnerClient.gql(CLAIM, { id: work.id })).claimSubmission.__typename).toBe("NotFoundError");
    const other = await microCredential();
    expect((await other.assessorClient.gql(CLAIM, { id: work.id })).claimSubmission.__typename).toBe("NotFoundError");
    expect((await other.assessorClient.gql(SUBMISSION_QUERY, { id: work.id })).submission).toBeNull();
    await s.learnerClient.gql(WITHDRAW, { id: work.id });
    expect((await s.assessorClient.gql(CLAIM, { id: work.id })).claimSubmission).toMatchObject({
      __typename: "SubmissionStateError",
      state: "WITHDRAWN",
    });
  });

  it("is refused to an awarder: reviewing is for owners and assessors", async () => {
    const s = await microCredential();
    const work = await submitted(s);
    const { user: awarder, client } = await signedIn();
    await inviteAndAccept(s.ownerClient, s.issuerId, awarder, "AWARDER");
    expect((await client.gql(CLAIM, { id: work.id })).claimSubmission.__typename).toBe("ForbiddenError");
  });
});

describe("deciding", () => {
  it("returns with feedback; the learner revises and resubmits with a note; the assessor awards with the evidence", async () => {
    const s = await microCredential();
    const work = await submitted(s);
    await s.assessorClient.gql(CLAIM, { id: work.id });
    const returned = (
      await s.assessorClient.gql(DECIDE, {
        id: work.id,
        decision: "RETURNED",
        scores: [
          { criterionId: s.criteria[0]!.id, level: 1, comment: "Clear checks." },
          { criterionId: s.criteria[1]!.id, level: 0, comment: "Say what you changed." },
        ],
        comment: "Add how you adjusted the lesson.",
      })
    ).decideSubmission;
    expect(returned).toMatchObject({
      state: "RETURNED",
      reviews: [{ round: 1, decision: "RETURNED", comment: "Add how you adjusted the lesson." }],
    });
    expect(returned.reviews[0].scores).toHaveLength(2);
    const mail = await deliveredMailTo(s.learner.email, 'Your "Formative Assessment" submission needs revision');
    expect(mail.text).toContain("Add how you adjusted the lesson.");

    const revised = (
      await s.learnerClient.gql(SAVE, { id: work.id, answers: [{ partId: s.parts[2]!.id, text: "I moved the practical." }] })
    ).saveSubmissionDraft;
    expect(revised.__typename).toBe("Submission");
    const resubmitted = (await s.learnerClient.gql(RESUBMIT, { id: work.id, note: "Added the adjustment." })).resubmitSubmission;
    expect(resubmitted).toMatchObject({ state: "RESUBMITTED", round: 2, note: "Added the adjustment." });
    expect(resubmitted.attempts.map((a: { round: number }) => a.round)).toEqual([1, 2]);
    expect(resubmitted.attempts[0].answers.find((a: { partId: string }) => a.partId === s.parts[2]!.id).text).toBe(
      "I moved the practical earlier after the exit tickets.",
    );

    const awarded = (
      await s.assessorClient.gql(DECIDE, { id: work.id, decision: "AWARDED", scores: passingScores(s), comment: "Well done." })
    ).decideSubmission;
    expect(awarded).toMatchObject({ state: "AWARDED", award: { status: "PENDING" } });
    expect(awarded.reviews.map((r: { decision: string }) => r.decision)).toEqual(["RETURNED", "AWARDED"]);
    expect(awarded.history.map((h: { state: string }) => h.state)).toEqual([
      "DRAFT",
      "SUBMITTED",
      "IN_REVIEW",
      "RETURNED",
      "RESUBMITTED",
      "AWARDED",
    ]);
    // The award carries the public evidence only: the summary and the link the learner made public.
    expect(awarded.award.evidence).toEqual([
      { url: null, narrative: 'Evidence assessed against the rubric of "Formative Assessment".' },
      { url: "https://plans.example.org/forces", narrative: null },
    ]);
    const backpack = (await s.learnerClient.gql(BACKPACK, {})).backpack;
    expect(backpack.items.map((i: { id: string }) => i.id)).toContain(awarded.award.id);
    await deliveredMailTo(s.learner.email, 'You earned the "Formative Assessment" badge from Northwind Teachers College');
    expect(await count("select count(*) as n from audit_log where action = 'submission.awarded' and subject_id = ?", work.id)).toBe(1);
    expect(await count("select count(*) as n from audit_log where action = 'award.created' and subject_id = ?", awarded.award.id)).toBe(1);

    // Decided: nothing more to decide, claim, withdraw or edit.
    const again = (await s.assessorClient.gql(DECIDE, { id: work.id, decision: "NOT_AWARDED", scores: failingScores(s), comment: "No." }))
      .decideSubmission;
    expect(again).toMatchObject({ __typename: "SubmissionStateError", state: "AWARDED" });
    expect((await s.learnerClient.gql(WITHDRAW, { id: work.id })).withdrawSubmission).toMatchObject({ state: "AWARDED" });
    expect(
      (
        await s.learnerClient.gql(`mutation ($b: ID!) { startSubmission(badgeClassId: $b) { __typename ... on Error { message } } }`, {
          b: s.badgeClassId,
        })
      ).startSubmission.message,
    ).toBe("You already earned this micro-credential.");
  });

  it("denies with a reason; the learner is told and may start again", async () => {
    const s = await microCredential();
    const work = await submitted(s);
    const denied = (
      await s.assessorClient.gql(DECIDE, {
        id: work.id,
        decision: "NOT_AWARDED",
        scores: failingScores(s),
        comment: "No adjustment shown.",
      })
    ).decideSubmission;
    expect(denied).toMatchObject({ state: "NOT_AWARDED", award: null });
    const mail = await deliveredMailTo(s.learner.email, 'Your "Formative Assessment" submission was not awarded');
    expect(mail.text).toContain("No adjustment shown.");
    expect((await s.learnerClient.gql(RESUBMIT, { id: work.id })).resubmitSubmission).toMatchObject({ state: "NOT_AWARDED" });
    expect((await s.learnerClient.gql(WITHDRAW, { id: work.id })).withdrawSubmission).toMatchObject({ state: "NOT_AWARDED" });
    const next = await submitted(s);
    expect(next.id).not.toBe(work.id);
  });

  it("refuses incomplete scores, an award below the required levels, and a return or denial without a reason", async () => {
    const s = await microCredential();
    const work = await submitted(s);
    const cases = [
      { decision: "AWARDED", scores: passingScores(s).slice(0, 1), field: `scores.${s.criteria[1]!.id}` },
      { decision: "AWARDED", scores: failingScores(s), field: "decision" },
      { decision: "AWARDED", scores: passingScores(s).map((x) => ({ ...x, level: 9 })), field: `scores.${s.criteria[0]!.id}` },
      { decision: "RETURNED", scores: failingScores(s), field: "comment" },
      { decision: "NOT_AWARDED", scores: failingScores(s), field: "comment" },
    ];
    for (const c of cases) {
      const result = (await s.assessorClient.gql(DECIDE, { id: work.id, decision: c.decision, scores: c.scores })).decideSubmission;
      expect(result.__typename).toBe("ValidationError");
      expect(result.fieldErrors.map((f: { field: string }) => f.field)).toContain(c.field);
    }
    expect(await count("select count(*) as n from submission_reviews where submission_id = ?", work.id)).toBe(0);
    expect((await s.assessorClient.gql(SUBMISSION_QUERY, { id: work.id })).submission.state).toBe("SUBMITTED");
  });

  it("refuses deciding a draft or a withdrawn submission", async () => {
    const s = await microCredential();
    const draft = (
      await s.learnerClient.gql(`mutation ($b: ID!) { startSubmission(badgeClassId: $b) { ... on Submission { id } } }`, {
        b: s.badgeClassId,
      })
    ).startSubmission;
    expect(
      (await s.assessorClient.gql(DECIDE, { id: draft.id, decision: "AWARDED", scores: passingScores(s) })).decideSubmission,
    ).toMatchObject({
      state: "DRAFT",
    });
    await s.learnerClient.gql(WITHDRAW, { id: draft.id });
    expect(
      (await s.assessorClient.gql(DECIDE, { id: draft.id, decision: "AWARDED", scores: passingScores(s) })).decideSubmission,
    ).toMatchObject({
      __typename: "SubmissionStateError",
      state: "WITHDRAWN",
    });
  });
});

describe("racing decisions", () => {
  it("lets exactly one of two assessors deciding at once win; the other gets a typed error and nothing of theirs is written", async () => {
    const s = await microCredential();
    const second = await createUser();
    await inviteAndAccept(s.ownerClient, s.issuerId, second, "ASSESSOR");
    const work = await submitted(s);
    const outcomes = await race(await racingContexts([s.assessor.id, second.id]), (ctx, user, i) =>
      decideSubmission(ctx, user, work.id, {
        decision: i === 0 ? "awarded" : "not_awarded",
        scores: (i === 0 ? passingScores(s) : failingScores(s)).map((x) => ({
          criterionId: x.criterionId,
          level: x.level,
          comment: x.comment,
        })),
        comment: "Decided.",
      }),
    );
    const winners = outcomes.filter((o) => !(o instanceof Error));
    const losers = outcomes.filter((o) => o instanceof Error);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]!.name).toBe("SubmissionStateError");
    expect(await count("select count(*) as n from submission_reviews where submission_id = ?", work.id)).toBe(1);
    expect(
      await count(
        "select count(*) as n from submission_scores where review_id in (select id from submission_reviews where submission_id = ?)",
        work.id,
      ),
    ).toBe(2);
    expect(
      await count(
        "select count(*) as n from audit_log where subject_id = ? and action in ('submission.awarded', 'submission.not_awarded')",
        work.id,
      ),
    ).toBe(1);
    const awards = await count("select count(*) as n from awards where source_key = ?", `submission:${work.id}`);
    const decided = (await s.learnerClient.gql(SUBMISSION_QUERY, { id: work.id })).submission;
    expect(awards).toBe(decided.state === "AWARDED" ? 1 : 0);
    expect(await count("select count(*) as n from submission_events where submission_id = ?", work.id)).toBe(3);
  });

  it("gives a claim to one of five assessors claiming at once", async () => {
    const s = await microCredential();
    const others = await Promise.all([0, 1, 2, 3].map(() => createUser()));
    for (const o of others) await inviteAndAccept(s.ownerClient, s.issuerId, o, "ASSESSOR");
    const work = await submitted(s);
    const outcomes = await race(await racingContexts([s.assessor.id, ...others.map((o) => o.id)]), (ctx, user) =>
      claimSubmission(ctx, user, work.id),
    );
    expect(outcomes.filter((o) => !(o instanceof Error))).toHaveLength(1);
    expect(outcomes.filter((o) => o instanceof Error).map((e) => (e as Error).name)).toEqual(Array(4).fill("SubmissionClaimedError"));
    expect(await count("select count(*) as n from audit_log where subject_id = ? and action = 'submission.claimed'", work.id)).toBe(1);
  });
});

describe("the assessor queue", () => {
  it("lists oldest first with counts and days waiting, filters by state and badge class, and is refused to others", async () => {
    const s = await microCredential();
    const learners = await Promise.all([0, 1, 2].map(() => signedIn()));
    const works = [];
    for (const l of learners) works.push(await submitted({ ...s, learner: l.user, learnerClient: l.client }));
    await env.DB.prepare("update submissions set submitted_at = ? where id = ?")
      .bind(Date.now() - 3 * 86_400_000, works[2]!.id)
      .run();
    await s.assessorClient.gql(CLAIM, { id: works[1]!.id });
    const page = (await s.assessorClient.gql(QUEUE, { issuerId: s.issuerId })).issuer.submissionQueue;
    expect(page.items.map((i: { id: string }) => i.id)).toEqual([works[2]!.id, works[0]!.id, works[1]!.id]);
    expect(page.items[0].daysWaiting).toBe(3);
    expect(page.counts).toMatchObject({ submitted: 2, inReview: 1 });
    const firstPage = (await s.assessorClient.gql(QUEUE, { issuerId: s.issuerId, first: 2 })).issuer.submissionQueue;
    expect(firstPage.hasNextPage).toBe(true);
    const rest = (await s.assessorClient.gql(QUEUE, { issuerId: s.issuerId, first: 2, after: firstPage.endCursor })).issuer.submissionQueue;
    expect(rest.items.map((i: { id: string }) => i.id)).toEqual([works[1]!.id]);
    const inReview = (await s.assessorClient.gql(QUEUE, { issuerId: s.issuerId, states: ["IN_REVIEW"] })).issuer.submissionQueue;
    expect(inReview.items.map((i: { id: string }) => i.id)).toEqual([works[1]!.id]);
    const elsewhere = (await s.assessorClient.gql(QUEUE, { issuerId: s.issuerId, badgeClassId: crypto.randomUUID() })).issuer
      .submissionQueue;
    expect(elsewhere.items).toEqual([]);

    const { user: awarder, client } = await signedIn();
    await inviteAndAccept(s.ownerClient, s.issuerId, awarder, "AWARDER");
    const refused = await client.gqlResult(QUEUE, { issuerId: s.issuerId });
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("reads a page of 30 in three D1 statements, names included", async () => {
    const s = await microCredential();
    const learners = await Promise.all(Array.from({ length: 6 }, () => signedIn()));
    for (const l of learners) await submitted({ ...s, learner: l.user, learnerClient: l.client });
    const ctx = backgroundContext(env, { waitUntil: () => undefined });
    let statements = 0;
    const session = ctx.d1;
    const counting = new Proxy(session, {
      get(target, property) {
        if (property === "prepare") {
          return (sql: string) => {
            statements++;
            return target.prepare(sql);
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    ctx.d1 = counting;
    ctx.db = createDb(counting);
    const assessor = (await getUserById(ctx, s.assessor.id))!;
    statements = 0;
    const page = await listQueue(ctx, assessor, s.issuerId, { first: 30 });
    expect(page.items).toHaveLength(6);
    expect(page.items.every((i) => i.preview?.name === "Test User")).toBe(true);
    expect(statements).toBeLessThanOrEqual(3);
  });

  it("hides the learner's name and email from assessors under blind review until the decision", async () => {
    const s = await microCredential({ blindReview: true });
    const work = await submitted(s);
    const seen = (await s.assessorClient.gql(SUBMISSION_QUERY, { id: work.id })).submission;
    expect(seen).toMatchObject({ learnerName: null, learnerEmail: null });
    const queued = (await s.assessorClient.gql(QUEUE, { issuerId: s.issuerId })).issuer.submissionQueue.items;
    expect(queued).toEqual([expect.objectContaining({ id: work.id, learnerName: null })]);
    expect((await s.learnerClient.gql(SUBMISSION_QUERY, { id: work.id })).submission.learnerEmail).toBe(s.learner.email);
    const decided = (await s.assessorClient.gql(DECIDE, { id: work.id, decision: "AWARDED", scores: passingScores(s) })).decideSubmission;
    expect(decided).toMatchObject({ learnerName: "Lena User", learnerEmail: s.learner.email });
    const open = await microCredential();
    const visible = await submitted(open);
    expect((await open.assessorClient.gql(SUBMISSION_QUERY, { id: visible.id })).submission.learnerName).toBe("Lena User");
  });
});
