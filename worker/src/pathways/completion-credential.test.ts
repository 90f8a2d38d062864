import { describe, expect, it } from "vitest";
import { TestClient } from "../../test/client";
import { award, eventuallyAwarded, pathwaySetup, publishedPathway, signedIn, subscribe } from "../../test/pathways";
import { checkOb3Schema } from "../verification/schema-check";

// A completion badge tells a verifier why it was earned: its OB 2.0 criteria say what completes
// it, and its OB 3.0 Achievement aligns to each required achievement.

const APP = "http://127.0.0.1:8787";
const fetchJson = async (path: string) =>
  (await (await new TestClient().request(path, { headers: { accept: "application/json" } })).json()) as Record<string, any>;

describe("completion badge credentials", () => {
  it("say what completes the pathway and link the required badges, in OB 2.0 and OB 3.0", async () => {
    const s = await pathwaySetup();
    const learner = await signedIn();
    const pathway = await publishedPathway(s, {
      junction: "ALL",
      steps: [
        { name: "Core", junction: "ALL", badgeClassIds: [s.badges.a] },
        { name: "Electives", junction: "AT_LEAST", requiredCount: 1, badgeClassIds: [s.badges.b, s.badges.c] },
      ],
    });
    const narrative =
      'Awarded by Laurel on completing the pathway "Assessment Leader", which requires all of: the step "Core" (all of: the badge "Badge A"); the step "Electives" (at least 1 of: the badge "Badge B"; the badge "Badge C").';
    const ob2 = await fetchJson(`/public/badges/${s.completion}?v=${pathway.id}`);
    expect(ob2.criteria.narrative).toContain(narrative);
    expect(ob2.alignment.map((a: { targetUrl: string }) => a.targetUrl)).toEqual(
      expect.arrayContaining([s.badges.a, s.badges.b, s.badges.c].map((id) => `${APP}/public/badges/${id}`)),
    );

    await subscribe(s, pathway.id, learner);
    await award(s, s.badges.a, learner.user.email);
    await award(s, s.badges.c, learner.user.email);
    const [completion] = await eventuallyAwarded(s.completion, learner.user.id);
    const credential = await fetchJson(`/public/credentials/${completion!.id}`);
    const achievement = credential.credentialSubject.achievement;
    expect(achievement.criteria.narrative).toContain(narrative);
    expect(achievement.alignment).toEqual(
      expect.arrayContaining(
        [
          [s.badges.a, "Badge A"],
          [s.badges.b, "Badge B"],
          [s.badges.c, "Badge C"],
        ].map(([id, name]) => ({
          type: ["Alignment"],
          targetName: name,
          targetUrl: `${APP}/public/badges/${id}`,
          targetDescription: "Required to earn this achievement.",
        })),
      ),
    );
    expect(credential.credentialSubject.narrative).toBe('Completed the pathway "Assessment Leader".');
    expect(checkOb3Schema(credential)).toMatchObject({ valid: true });
  });
});
