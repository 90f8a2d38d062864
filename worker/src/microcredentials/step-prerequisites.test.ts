import { describe, expect, it } from "vitest";
import { REVOKE } from "../../test/badges";
import { completeAnswers, definitionInput, microCredential, SAVE, SET_MICRO_CREDENTIAL } from "../../test/microcredentials";
import { award, pathwaySetup, publishedPathway } from "../../test/pathways";

// A micro-credential may require a pathway step: the learner must meet it, with badges held
// now, to start and at the moment of submitting.

const MISSING = `__typename ... on PrerequisitesMissingError { message missingSteps { stepId name pathwayName } } ... on Submission { id state }`;
const START = `mutation ($badgeClassId: ID!) { startSubmission(badgeClassId: $badgeClassId) { ${MISSING} } }`;
const SUBMIT = `mutation ($id: ID!) { submitSubmission(id: $id) { ${MISSING} } }`;

describe("a pathway step as a micro-credential's prerequisite", () => {
  it("refuses to start or submit until the learner meets the step, and again when a badge it needed is revoked", async () => {
    const s = await pathwaySetup();
    const pathway = await publishedPathway(s, {
      junction: "ALL",
      steps: [{ name: "Foundations", junction: "AT_LEAST", requiredCount: 1, badgeClassIds: [s.badges.a, s.badges.b] }],
    });
    const stepId = pathway.steps[0]!.id;
    const m = await microCredential({ prerequisiteStepIds: [stepId] });
    const refused = (await m.learnerClient.gql(START, { badgeClassId: m.badgeClassId })).startSubmission;
    expect(refused).toMatchObject({
      __typename: "PrerequisitesMissingError",
      message: 'Earn the step "Foundations" of the pathway "Assessment Leader" first: this micro-credential requires it.',
      missingSteps: [{ stepId, name: "Foundations", pathwayName: "Assessment Leader" }],
    });

    const held = await award(s, s.badges.b, m.learner.email);
    const started = (await m.learnerClient.gql(START, { badgeClassId: m.badgeClassId })).startSubmission;
    expect(started.__typename).toBe("Submission");
    expect((await m.learnerClient.gql(SAVE, { id: started.id, answers: completeAnswers(m) })).saveSubmissionDraft.__typename).toBe(
      "Submission",
    );
    await s.ownerClient.gql(REVOKE, { awardId: held.id, reason: "Issued in error." });
    expect((await m.learnerClient.gql(SUBMIT, { id: started.id })).submitSubmission.__typename).toBe("PrerequisitesMissingError");
    await award(s, s.badges.a, m.learner.email);
    expect((await m.learnerClient.gql(SUBMIT, { id: started.id })).submitSubmission).toEqual({
      __typename: "Submission",
      id: started.id,
      state: "SUBMITTED",
    });
  });

  it("refuses an id that names no pathway step", async () => {
    const m = await microCredential();
    const set = (
      await m.ownerClient.gql(SET_MICRO_CREDENTIAL, {
        badgeClassId: m.badgeClassId,
        input: definitionInput({ prerequisiteStepIds: ["no-such-step"] }),
      })
    ).setMicroCredential;
    expect(set).toMatchObject({ __typename: "ValidationError", fieldErrors: [{ field: "prerequisiteStepIds" }] });
  });
});
