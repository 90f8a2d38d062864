import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { enrolAuthenticator, totp } from "../../test/mfa";
import { microCredential, START, signedIn, submitted } from "../../test/microcredentials";

// A learner who merges two accounts keeps the submissions of both.

const MERGE = `mutation ($a: String!, $p: String!, $c: String!) { mergeAccount(address: $a, password: $p, code: $c) { __typename } }`;

describe("merging accounts with submissions", () => {
  it("moves the other account's submissions, withdrawing its undecided one where the survivor has a live one", async () => {
    const s = await microCredential();
    const survivor = await createUser();
    const other = await createUser({ password: "the other account's own passphrase" });
    const { secret } = await enrolAuthenticator(other);
    const survivorClient = new TestClient();
    await signInAs(survivorClient, survivor);
    const { client: otherClient } = await signedIn(other);
    // Both started the same micro-credential; the other account also submitted another one.
    const mine = (await survivorClient.gql(START, { badgeClassId: s.badgeClassId })).startSubmission;
    const theirs = await submitted({ ...s, learner: other, learnerClient: otherClient });
    const second = await microCredential();
    const theirOther = await submitted({ ...second, learner: other, learnerClient: otherClient });

    const merged = (await survivorClient.gql(MERGE, { a: other.email, p: other.password, c: totp(secret) })).mergeAccount;
    expect(merged.__typename).toBe("User");
    const rows = await env.DB.prepare("select id, learner_id as learnerId, state from submissions where id in (?, ?, ?)")
      .bind(mine.id, theirs.id, theirOther.id)
      .all<{ id: string; learnerId: string; state: string }>();
    const byId = Object.fromEntries(rows.results.map((r) => [r.id, r]));
    expect(byId[mine.id]).toMatchObject({ learnerId: survivor.id, state: "draft" });
    expect(byId[theirs.id]).toMatchObject({ learnerId: survivor.id, state: "withdrawn" });
    expect(byId[theirOther.id]).toMatchObject({ learnerId: survivor.id, state: "submitted" });
  });
});
