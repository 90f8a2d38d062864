import { beforeAll, describe, expect, it } from "vitest";
import { issuerWithBadgeClass, signedInAccount } from "../support/api";
import { errorsOf, type Json, ob3SchemaValidator, verify } from "./verifier";

// A badge earned by assessment: the learner hands in a text, a file and a public link, an
// assessor scores the rubric and awards. Its credential carries the evidence, the rubric as
// resultDescription and the achieved levels as result, and Digital Bazaar's verifier and the
// Open Badges 3.0 schema accept it.

const ERRORS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";
const SET = `mutation ($badgeClassId: ID!, $input: MicroCredentialInput!) {
  setMicroCredential(badgeClassId: $badgeClassId, input: $input) { ${ERRORS} ... on MicroCredential { parts { id kind } criteria { id } } } }`;
const START = `mutation ($id: ID!) { startSubmission(badgeClassId: $id) { ${ERRORS} ... on Submission { id } } }`;
const SAVE = `mutation ($id: ID!, $answers: [SubmissionAnswerInput!]!, $narrative: String) {
  saveSubmissionDraft(id: $id, answers: $answers, publicNarrative: $narrative) { ${ERRORS} ... on Submission { id } } }`;
const SUBMIT = `mutation ($id: ID!) { submitSubmission(id: $id) { ${ERRORS} ... on Submission { state } } }`;
const CLAIM = `mutation ($id: ID!) { claimSubmission(id: $id) { ${ERRORS} ... on Submission { state } } }`;
const DECIDE = `mutation ($id: ID!, $scores: [CriterionScoreInput!]!) {
  decideSubmission(id: $id, decision: AWARDED, scores: $scores, comment: "Every criterion met.") { ${ERRORS} ... on Submission { state award { credentialUrl } } } }`;

const expectType = (value: Json, typename: string) => expect(value.__typename, JSON.stringify(value)).toBe(typename);

describe("an assessed micro-credential, checked by independent libraries", () => {
  let credential: Json;

  beforeAll(async () => {
    const owner = await issuerWithBadgeClass("interop-mc");
    const { setMicroCredential: set } = await owner.client.gql(SET, {
      badgeClassId: owner.badgeClassId,
      input: {
        competency: "Publishes credentials that independent verifiers accept.",
        keyMethod: "Issue, verify with an independent library, and fix what it reports.",
        parts: [
          { title: "Overview", prompt: "What do you issue?", kind: "TEXT", wordLimit: 100 },
          { title: "Verifier report", prompt: "The report as a PDF.", kind: "FILE", fileTypes: ["application/pdf"], maxBytes: 1048576 },
          { title: "Published credential", prompt: "A link to a credential you issued.", kind: "LINK" },
        ],
        criteria: [
          { name: "Signs correctly", partIds: ["1", "2"], levels: [{ name: "Not yet" }, { name: "Verified" }], requiredLevel: 1 },
          {
            name: "Explains the set-up",
            partIds: ["0"],
            levels: [{ name: "Not yet" }, { name: "Clear" }, { name: "Exemplary" }],
            requiredLevel: 1,
          },
        ],
      },
    });
    expectType(set, "MicroCredential");
    const [overview, report, link] = set.parts as { id: string }[];
    const learner = await signedInAccount("interop-mc-learner");
    const { startSubmission: started } = await learner.client.gql(START, { id: owner.badgeClassId });
    expectType(started, "Submission");
    const { saveSubmissionDraft: saved } = await learner.client.gql(SAVE, {
      id: started.id,
      answers: [
        { partId: overview!.id, text: "Course certificates for a training provider." },
        { partId: link!.id, url: "https://credentials.example.org/42", public: true },
      ],
      narrative: "Credentials that two independent verifiers accepted.",
    });
    expectType(saved, "Submission");
    const pdf = "%PDF-1.4\n%%EOF\n";
    const upload = await learner.client.request(`/api/submissions/${started.id}/parts/${report!.id}/file?name=report.pdf`, {
      method: "PUT",
      headers: { "content-type": "application/pdf" },
      body: pdf,
    });
    expect(upload.status, await upload.clone().text()).toBe(200);
    expectType((await learner.client.gql(SUBMIT, { id: started.id })).submitSubmission, "Submission");
    expectType((await owner.client.gql(CLAIM, { id: started.id })).claimSubmission, "Submission");
    const [signs, explains] = set.criteria as { id: string }[];
    const { decideSubmission: decided } = await owner.client.gql(DECIDE, {
      id: started.id,
      scores: [
        { criterionId: signs!.id, level: 1 },
        { criterionId: explains!.id, level: 2, comment: "Exemplary write-up." },
      ],
    });
    expectType(decided, "Submission");
    credential = (await (await fetch(decided.award.credentialUrl, { headers: { accept: "application/json" } })).json()) as Json;
  });

  it("verifies with @digitalbazaar/vc and the eddsa-rdfc-2022 cryptosuite, status included", async () => {
    expect(credential.credentialSubject.achievement.achievementType).toBe("MicroCredential");
    const result = await verify(credential);
    expect(result.verified, errorsOf(result)).toBe(true);
    expect(result.statusResult).toMatchObject({ verified: true });
  });

  it("carries the public evidence, the rubric and the achieved levels, and no file of the learner's", () => {
    expect(credential.evidence).toEqual([
      expect.objectContaining({
        type: ["Evidence"],
        genre: "Submission",
        narrative: "Credentials that two independent verifiers accepted.",
      }),
      expect.objectContaining({ id: "https://credentials.example.org/42", name: "Published credential", genre: "Link" }),
    ]);
    expect(JSON.stringify(credential)).not.toMatch(/report\.pdf|\/api\/evidence\//);
    const [signs, explains] = credential.credentialSubject.achievement.resultDescription as Json[];
    expect(signs).toMatchObject({ name: "Signs correctly", resultType: "RubricCriterionLevel" });
    expect(explains!.rubricCriterionLevel.map((l: Json) => l.name)).toEqual(["Not yet", "Clear", "Exemplary"]);
    expect(explains!.requiredLevel).toBe(explains!.rubricCriterionLevel[1].id);
    expect(credential.credentialSubject.result).toEqual([
      { type: ["Result"], resultDescription: signs!.id, achievedLevel: signs!.rubricCriterionLevel[1].id },
      { type: ["Result"], resultDescription: explains!.id, achievedLevel: explains!.rubricCriterionLevel[2].id },
    ]);
  });

  it("is valid against the Open Badges 3.0 JSON schema, checked by Ajv", () => {
    const validate = ob3SchemaValidator();
    expect(validate(credential), JSON.stringify(validate.errors)).toBe(true);
  });

  it.each<[string, (c: Json) => void]>([
    [
      "an achieved level",
      (c) =>
        (c.credentialSubject.result[0].achievedLevel = c.credentialSubject.achievement.resultDescription[0].rubricCriterionLevel[0].id),
    ],
    ["the evidence narrative", (c) => (c.evidence[0].narrative = "Something else entirely.")],
    [
      "the required level",
      (c) => (c.credentialSubject.achievement.resultDescription[1].requiredLevel = "urn:uuid:00000000-0000-0000-0000-000000000000"),
    ],
  ])("fails when %s is tampered with", async (_what, tamper) => {
    const tampered = structuredClone(credential);
    tamper(tampered);
    expect((await verify(tampered)).verified).toBe(false);
  });
});
