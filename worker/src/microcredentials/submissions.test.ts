import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { AWARD, CREATE_BADGE_CLASS, issuerWithBadgeClass } from "../../test/badges";
import { deliveredMailTo, gqlUpload, TestClient } from "../../test/client";
import { db } from "../../test/fixtures";
import { fileOf, pngImage } from "../../test/images";
import {
  completeAnswers,
  definitionInput,
  microCredential,
  RESUBMIT,
  SAVE,
  SET_MICRO_CREDENTIAL,
  START,
  SUBMISSION_QUERY,
  SUBMIT,
  signedIn,
  submitted,
  WITHDRAW,
} from "../../test/microcredentials";
import { emails } from "../accounts/accounts.table";

// The learner's side of a micro-credential: every transition they may make, and every one
// they may not, each refused with a typed error and nothing changed.

const row = (id: string) =>
  env.DB.prepare("select state, round, last_event_id as lastEventId from submissions where id = ?")
    .bind(id)
    .first<{ state: string; round: number; lastEventId: string }>();
const auditCount = async (action: string, subjectId: string) =>
  (
    await env.DB.prepare("select count(*) as n from audit_log where action = ? and subject_id = ?")
      .bind(action, subjectId)
      .first<{ n: number }>()
  )?.n;

describe("defining a micro-credential", () => {
  it("turns a badge class into a MicroCredential with ordered parts, a rubric and stable ids", async () => {
    const s = await microCredential();
    expect(s.parts.map((p) => p.kind)).toEqual(["TEXT", "LINK", "TEXT"]);
    expect(s.criteria.map((c) => c.requiredLevel)).toEqual([1, 1]);
    const definition = (
      await new TestClient().gql(
        `query ($id: ID!) { microCredential(badgeClassId: $id) { competency reviewTargetDays
      badgeClass { achievementType name } criteria { partIds levels { index name } } } }`,
        { id: s.badgeClassId },
      )
    ).microCredential;
    expect(definition.badgeClass).toEqual({ achievementType: "MicroCredential", name: "Formative Assessment" });
    expect(definition.reviewTargetDays).toBe(14);
    expect(definition.criteria[0].partIds).toEqual([s.parts[0]!.id, s.parts[1]!.id]);
    expect(definition.criteria[1].levels.map((l: { name: string }) => l.name)).toEqual([
      "Not yet demonstrated",
      "Demonstrated",
      "Exemplary",
    ]);
  });

  it("is listed in the public catalogue, readable with no account; a plain badge class is not", async () => {
    const s = await microCredential();
    await issuerWithBadgeClass((await signedIn()).client, { name: "Just a badge" });
    const catalogue = `query { microCredentials(first: 100) { badgeClassId competency badgeClass { name issuer { name } } } }`;
    const listed = (await new TestClient().gql(catalogue)).microCredentials as { badgeClassId: string; badgeClass: { name: string } }[];
    expect(listed).toContainEqual(expect.objectContaining({ badgeClassId: s.badgeClassId, competency: definitionInput().competency }));
    expect(listed.some((m) => m.badgeClass.name === "Just a badge")).toBe(false);
  });

  it("refuses a bad definition with a message per field", async () => {
    const s = await microCredential();
    const result = (
      await s.ownerClient.gql(SET_MICRO_CREDENTIAL, {
        badgeClassId: s.badgeClassId,
        input: definitionInput({
          competency: "",
          parts: [{ title: "File", prompt: "Upload", kind: "FILE", fileTypes: ["text/html"], maxBytes: 50 * 1024 * 1024 }],
          criteria: [{ name: "C", partIds: ["7"], levels: [{ name: "Only one" }], requiredLevel: 3 }],
          reviewTargetDays: 0,
        }),
      })
    ).setMicroCredential;
    expect(result.__typename).toBe("ValidationError");
    expect(result.fieldErrors.map((f: { field: string }) => f.field).sort()).toEqual(
      [
        "competency",
        "criteria.0.levels",
        "criteria.0.partIds",
        "criteria.0.requiredLevel",
        "parts.0.fileTypes",
        "parts.0.maxBytes",
        "reviewTargetDays",
      ].sort(),
    );
  });

  it("lets only owners and editors define it: an assessor is refused, and cannot award or edit badge classes either", async () => {
    const s = await microCredential();
    const asAssessor = (await s.assessorClient.gql(SET_MICRO_CREDENTIAL, { badgeClassId: s.badgeClassId, input: definitionInput() }))
      .setMicroCredential;
    expect(asAssessor.__typename).toBe("ForbiddenError");
    const award = (await s.assessorClient.gql(AWARD, { badgeClassId: s.badgeClassId, input: { email: s.learner.email } })).awardBadge;
    expect(award.__typename).toBe("ForbiddenError");
    const edit = (
      await s.assessorClient.gql(
        `mutation ($id: ID!, $input: BadgeClassInput!) { updateBadgeClass(id: $id, input: $input) { __typename } }`,
        { id: s.badgeClassId, input: { name: "Renamed", description: "x", criteriaNarrative: "x" } },
      )
    ).updateBadgeClass;
    expect(edit.__typename).toBe("ForbiddenError");
    const stranger = (await (await signedIn()).client.gql(SET_MICRO_CREDENTIAL, { badgeClassId: s.badgeClassId, input: definitionInput() }))
      .setMicroCredential;
    expect(stranger.__typename).toBe("NotFoundError");
  });
});

describe("a learner's draft", () => {
  it("starts once, saves as they go within the word limit, and keeps a history", async () => {
    const s = await microCredential();
    const draft = (await s.learnerClient.gql(START, { badgeClassId: s.badgeClassId })).startSubmission;
    expect(draft).toMatchObject({ __typename: "Submission", state: "DRAFT", round: 0, history: [{ state: "DRAFT" }] });
    const again = (await s.learnerClient.gql(START, { badgeClassId: s.badgeClassId })).startSubmission;
    expect(again).toMatchObject({ __typename: "SubmissionStateError", state: "DRAFT" });

    const first = (await s.learnerClient.gql(SAVE, { id: draft.id, answers: [{ partId: s.parts[0]!.id, text: "One two three." }] }))
      .saveSubmissionDraft;
    expect(first.answers).toEqual([{ partId: s.parts[0]!.id, text: "One two three.", url: null, public: false }]);
    const second = (
      await s.learnerClient.gql(SAVE, {
        id: draft.id,
        answers: [{ partId: s.parts[1]!.id, url: "https://plans.example.org/x" }],
        publicNarrative: "My plan.",
      })
    ).saveSubmissionDraft;
    expect(second.answers).toHaveLength(2);
    expect(second.publicNarrative).toBe("My plan.");

    const tooLong = (await s.learnerClient.gql(SAVE, { id: draft.id, answers: [{ partId: s.parts[0]!.id, text: "word ".repeat(51) }] }))
      .saveSubmissionDraft;
    expect(tooLong.__typename).toBe("ValidationError");
    expect(tooLong.fieldErrors[0].message).toContain("at most 50 words");
    const badLink = (await s.learnerClient.gql(SAVE, { id: draft.id, answers: [{ partId: s.parts[1]!.id, url: "javascript:alert(1)" }] }))
      .saveSubmissionDraft;
    expect(badLink.__typename).toBe("ValidationError");
    const unknownPart = (await s.learnerClient.gql(SAVE, { id: draft.id, answers: [{ partId: "nope", text: "x" }] })).saveSubmissionDraft;
    expect(unknownPart.__typename).toBe("ValidationError");
    // Refused saves changed nothing.
    const stored = (await s.learnerClient.gql(SUBMISSION_QUERY, { id: draft.id })).submission;
    expect(stored.answers.find((a: { partId: string }) => a.partId === s.parts[0]!.id).text).toBe("One two three.");
  });

  it("cannot be submitted until the required parts are complete, and changes nothing when refused", async () => {
    const s = await microCredential();
    const draft = (await s.learnerClient.gql(START, { badgeClassId: s.badgeClassId })).startSubmission;
    await s.learnerClient.gql(SAVE, { id: draft.id, answers: [{ partId: s.parts[0]!.id, text: "Only the overview." }] });
    const before = await row(draft.id);
    const result = (await s.learnerClient.gql(SUBMIT, { id: draft.id })).submitSubmission;
    expect(result.__typename).toBe("ValidationError");
    expect(result.fieldErrors).toEqual([{ field: `parts.${s.parts[1]!.id}`, message: 'Complete "Work example" before you submit.' }]);
    expect(await row(draft.id)).toEqual(before);
  });

  it("submits once: a second submit and any edit after it are refused with the state", async () => {
    const s = await microCredential();
    const done = await submitted(s);
    expect(done.state).toBe("SUBMITTED");
    const full = (await s.learnerClient.gql(SUBMISSION_QUERY, { id: done.id })).submission;
    expect(full).toMatchObject({ round: 1, history: [{ state: "DRAFT" }, { state: "SUBMITTED" }] });
    expect(full.attempts).toHaveLength(1);
    const twice = (await s.learnerClient.gql(SUBMIT, { id: done.id })).submitSubmission;
    expect(twice).toMatchObject({
      __typename: "SubmissionStateError",
      state: "SUBMITTED",
      message: "You cannot submit it: this submission is already submitted.",
    });
    const edit = (await s.learnerClient.gql(SAVE, { id: done.id, answers: [{ partId: s.parts[0]!.id, text: "Changed." }] }))
      .saveSubmissionDraft;
    expect(edit).toMatchObject({ __typename: "SubmissionStateError", state: "SUBMITTED" });
    const resubmit = (await s.learnerClient.gql(RESUBMIT, { id: done.id, note: "x" })).resubmitSubmission;
    expect(resubmit).toMatchObject({ __typename: "SubmissionStateError", state: "SUBMITTED" });
    expect(await auditCount("submission.submitted", done.id)).toBe(1);
  });

  it("tells the issuer's assessors and owners that work waits", async () => {
    const s = await microCredential();
    const done = await submitted(s);
    const events = await env.DB.prepare("select key from outbox_events where instr(key, ?) = 1")
      .bind(`submission.submitted:${done.id}:`)
      .all<{ key: string }>();
    expect(events.results.map((e) => e.key).sort()).toEqual(
      [`submission.submitted:${done.id}:1:${s.assessor.email}`, `submission.submitted:${done.id}:1:${s.owner.email}`].sort(),
    );
    const mail = await deliveredMailTo(s.assessor.email, 'New submission for "Formative Assessment"');
    expect(mail.text).toContain("/reviews");
    expect(mail.text).not.toContain(s.learner.email);
  });

  it("is withdrawn by the learner before a decision, and then may be started again", async () => {
    const s = await microCredential();
    const draft = (await s.learnerClient.gql(START, { badgeClassId: s.badgeClassId })).startSubmission;
    expect((await s.learnerClient.gql(WITHDRAW, { id: draft.id })).withdrawSubmission.state).toBe("WITHDRAWN");
    const done = await submitted(s);
    const withdrawn = (await s.learnerClient.gql(WITHDRAW, { id: done.id })).withdrawSubmission;
    expect(withdrawn).toMatchObject({ state: "WITHDRAWN", history: [{ state: "DRAFT" }, { state: "SUBMITTED" }, { state: "WITHDRAWN" }] });
    const again = (await s.learnerClient.gql(WITHDRAW, { id: done.id })).withdrawSubmission;
    expect(again).toMatchObject({ __typename: "SubmissionStateError", state: "WITHDRAWN" });
    for (const [query, name] of [
      [SUBMIT, "submitSubmission"],
      [SAVE, "saveSubmissionDraft"],
    ] as const) {
      const result = (await s.learnerClient.gql(query, { id: done.id, answers: [] }))[name];
      expect(result).toMatchObject({ __typename: "SubmissionStateError", state: "WITHDRAWN" });
    }
  });

  it("is nobody else's: another learner cannot read, edit, submit or withdraw it", async () => {
    const s = await microCredential();
    const draft = (await s.learnerClient.gql(START, { badgeClassId: s.badgeClassId })).startSubmission;
    const { client: other } = await signedIn();
    expect((await other.gql(SUBMISSION_QUERY, { id: draft.id })).submission).toBeNull();
    expect((await other.gql(SAVE, { id: draft.id, answers: completeAnswers(s) })).saveSubmissionDraft.__typename).toBe("NotFoundError");
    expect((await other.gql(SUBMIT, { id: draft.id })).submitSubmission.__typename).toBe("NotFoundError");
    expect((await other.gql(WITHDRAW, { id: draft.id })).withdrawSubmission.__typename).toBe("NotFoundError");
    expect((await row(draft.id))?.state).toBe("draft");
  });

  it("cannot be started for a badge that is not a micro-credential", async () => {
    const { client } = await signedIn();
    const { badgeClass } = await issuerWithBadgeClass(client);
    expect((await client.gql(START, { badgeClassId: badgeClass.id })).startSubmission.__typename).toBe("NotFoundError");
  });
});

describe("prerequisites", () => {
  async function withPrerequisite() {
    const { client: ownerClient } = await signedIn();
    const { issuer, badgeClass: basics } = await issuerWithBadgeClass(ownerClient, { name: "Assessment Basics" });
    const advanced = (
      await gqlUpload(
        ownerClient,
        CREATE_BADGE_CLASS,
        { issuerId: issuer.id, input: { name: "Advanced Assessment", description: "More.", criteriaNarrative: "Submit evidence." } },
        { "input.image": fileOf(await pngImage(), "badge.png", "image/png") },
      )
    ).createBadgeClass;
    const set = (
      await ownerClient.gql(SET_MICRO_CREDENTIAL, {
        badgeClassId: advanced.id,
        input: definitionInput({
          parts: [{ title: "Overview", prompt: "Describe.", kind: "TEXT" }],
          criteria: [{ name: "Plans", partIds: ["0"], levels: [{ name: "No" }, { name: "Yes" }], requiredLevel: 1 }],
          prerequisiteBadgeClassIds: [basics.id],
        }),
      })
    ).setMicroCredential;
    expect(set.prerequisites).toEqual([{ badgeClassId: basics.id, name: "Assessment Basics" }]);
    return { ownerClient, basics, advanced, partId: set.parts[0].id as string };
  }

  it("refuses a learner who does not hold them, naming what is missing", async () => {
    const { advanced } = await withPrerequisite();
    const { client } = await signedIn();
    const result = (await client.gql(START, { badgeClassId: advanced.id })).startSubmission;
    expect(result).toMatchObject({ __typename: "PrerequisitesMissingError", missing: [{ name: "Assessment Basics" }] });
  });

  it("accepts the prerequisite on any verified email, and enforces it again at submit (a revoked one no longer counts)", async () => {
    const { ownerClient, basics, advanced, partId } = await withPrerequisite();
    const { user, client } = await signedIn();
    const second = `second-${crypto.randomUUID().slice(0, 8)}@example.org`;
    await db()
      .insert(emails)
      .values({ id: crypto.randomUUID(), userId: user.id, address: second, verifiedAt: new Date(), createdAt: new Date() });
    const award = (await ownerClient.gql(AWARD, { badgeClassId: basics.id, input: { email: second } })).awardBadge;
    const draft = (await client.gql(START, { badgeClassId: advanced.id })).startSubmission;
    expect(draft.__typename).toBe("Submission");
    await client.gql(SAVE, { id: draft.id, answers: [{ partId, text: "My work." }] });
    await ownerClient.gql(`mutation ($id: ID!) { revokeAward(awardId: $id, reason: "Issued in error.") { __typename } }`, { id: award.id });
    const refused = (await client.gql(SUBMIT, { id: draft.id })).submitSubmission;
    expect(refused.__typename).toBe("PrerequisitesMissingError");
    expect((await row(draft.id))?.state).toBe("draft");
    await ownerClient.gql(AWARD, { badgeClassId: basics.id, input: { email: user.email } });
    expect((await client.gql(SUBMIT, { id: draft.id })).submitSubmission.state).toBe("SUBMITTED");
  });
});
