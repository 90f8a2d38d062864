import { describe, expect, it } from "vitest";
import { TestClient } from "../../test/client";
import { CLAIM, DECIDE, microCredential, submitted } from "../../test/microcredentials";
import { checkOb3Schema } from "../verification/schema-check";

// An award that comes from an assessment carries its evidence and rubric results, in both
// Open Badges versions, and still verifies and validates.

type Json = Record<string, any>;
const getJson = async (path: string) =>
  (await (await new TestClient().request(path, { headers: { accept: "application/json" } })).json()) as Json;
const verify = async (body: Json) =>
  (await (
    await new TestClient().request("/api/verify", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    })
  ).json()) as Json;

async function assessedAward() {
  const s = await microCredential();
  const work = await submitted(s);
  await s.assessorClient.gql(CLAIM, { id: work.id });
  const scores = [
    { criterionId: s.criteria[0]!.id, level: 1, comment: "Clear." },
    { criterionId: s.criteria[1]!.id, level: 2, comment: "Exemplary." },
  ];
  const decided = (await s.assessorClient.gql(DECIDE, { id: work.id, decision: "AWARDED", scores, comment: "Well done." }))
    .decideSubmission;
  return { s, awardId: decided.award.id as string };
}

describe("the credential of an assessed award", () => {
  it("has OB 3.0 evidence, the rubric as resultDescription and the achieved levels as result, and verifies", async () => {
    const { s, awardId } = await assessedAward();
    const credential = await getJson(`/public/credentials/${awardId}`);
    expect(credential.evidence).toEqual([
      {
        type: ["Evidence"],
        name: 'Submission for "Formative Assessment"',
        narrative: 'Evidence assessed against the rubric of "Formative Assessment".',
        description: "The educator uses formative assessment to adjust instruction during a lesson.",
        genre: "Submission",
      },
      {
        id: "https://plans.example.org/forces",
        type: ["Evidence"],
        name: "Work example",
        description: "Link to the lesson plan.",
        genre: "Link",
      },
    ]);
    const achievement = credential.credentialSubject.achievement;
    expect(achievement.achievementType).toBe("MicroCredential");
    const [plans, adjusts] = achievement.resultDescription;
    expect(plans).toMatchObject({ type: ["ResultDescription"], name: "Plans formative checks", resultType: "RubricCriterionLevel" });
    expect(adjusts.rubricCriterionLevel.map((l: Json) => l.name)).toEqual(["Not yet demonstrated", "Demonstrated", "Exemplary"]);
    expect(adjusts.requiredLevel).toBe(adjusts.rubricCriterionLevel[1].id);
    expect(credential.credentialSubject.result).toEqual([
      { type: ["Result"], resultDescription: plans.id, achievedLevel: plans.rubricCriterionLevel[1].id },
      { type: ["Result"], resultDescription: adjusts.id, achievedLevel: adjusts.rubricCriterionLevel[2].id },
    ]);
    expect(checkOb3Schema(credential)).toEqual({ valid: true, errors: [] });
    const result = await verify({ assertion: credential, email: s.learner.email });
    expect(result.valid).toBe(true);
    expect(Object.fromEntries(result.checks.map((c: Json) => [c.id, c.status]))).toMatchObject({ signature: "passed", schema: "passed" });
  });

  it("has OB 2.0 evidence with name, description and genre, and no file of the learner's", async () => {
    const { awardId } = await assessedAward();
    const assertion = await getJson(`/public/assertions/${awardId}`);
    expect(assertion.evidence).toEqual([
      expect.objectContaining({ type: "Evidence", name: 'Submission for "Formative Assessment"', genre: "Submission" }),
      expect.objectContaining({ type: "Evidence", id: "https://plans.example.org/forces", name: "Work example", genre: "Link" }),
    ]);
    expect(JSON.stringify(assertion)).not.toContain("/api/evidence/");
  });
});
