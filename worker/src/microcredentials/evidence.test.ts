import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { TestClient } from "../../test/client";
import {
  CLAIM,
  DECIDE,
  microCredential,
  passingScores,
  SAVE,
  START,
  SUBMISSION_QUERY,
  SUBMIT,
  signedIn,
} from "../../test/microcredentials";

// Evidence files: streamed to R2, typed by their bytes, size-limited, and readable only by the
// learner and the issuer's reviewers through short-lived links bound to them.

const MB = 1024 * 1024;
const pdf = (size = 2000) => {
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set(new TextEncoder().encode("%PDF-1.7\n"));
  return bytes;
};
const png = () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4]);

const definition = {
  parts: [
    { title: "Overview", prompt: "Describe the unit.", kind: "TEXT", required: true },
    { title: "Lesson plan", prompt: "Upload the plan.", kind: "FILE", required: true, fileTypes: ["application/pdf"], maxBytes: MB },
    {
      title: "Recording",
      prompt: "Up to 20 MB.",
      kind: "FILE",
      required: false,
      fileTypes: ["application/pdf", "video/mp4"],
      maxBytes: 20 * MB,
    },
  ],
  criteria: [{ name: "Plans", partIds: ["0", "1"], levels: [{ name: "Not yet" }, { name: "Yes" }], requiredLevel: 1 }],
};

function upload(
  client: TestClient,
  submissionId: string,
  partId: string,
  body: BodyInit,
  init: { type?: string; length?: number; name?: string } = {},
) {
  const headers: Record<string, string> = { "x-laurel-csrf": "1", "content-type": init.type ?? "application/octet-stream" };
  if (init.length !== undefined) headers["content-length"] = String(init.length);
  return client.request(`/api/submissions/${submissionId}/parts/${partId}/file?name=${encodeURIComponent(init.name ?? "plan.pdf")}`, {
    method: "PUT",
    headers,
    body,
  });
}

async function draft() {
  const s = await microCredential(definition);
  const started = (await s.learnerClient.gql(START, { badgeClassId: s.badgeClassId })).startSubmission;
  return { s, id: started.id as string, plan: s.parts[1]!.id, recording: s.parts[2]!.id };
}

const storedKeys = async (submissionId: string) =>
  (await env.FILES.list({ prefix: `evidence/${submissionId}/` })).objects.map((o) => o.key);

const FILE_ANSWERS = `query ($id: ID!) { submission(id: $id) { answers { partId fileName fileType fileSize fileUrl } } }`;

describe("uploading evidence", () => {
  it("stores a PDF for the part, typed by its bytes, and the draft names it", async () => {
    const { s, id, plan } = await draft();
    const bytes = pdf();
    const response = await upload(s.learnerClient, id, plan, bytes, {
      length: bytes.length,
      type: "application/pdf",
      name: "Unit plan.pdf",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ file: { name: "Unit plan.pdf", type: "application/pdf", size: 2000 } });
    const answers = (await s.learnerClient.gql(FILE_ANSWERS, { id })).submission.answers;
    expect(answers).toEqual([
      expect.objectContaining({ partId: plan, fileName: "Unit plan.pdf", fileType: "application/pdf", fileSize: 2000 }),
    ]);
    expect(await storedKeys(id)).toHaveLength(1);
    // A text save afterwards keeps the file.
    await s.learnerClient.gql(SAVE, { id, answers: [{ partId: s.parts[0]!.id, text: "Forces." }] });
    expect((await s.learnerClient.gql(SUBMIT, { id })).submitSubmission.state).toBe("SUBMITTED");
  });

  it("streams a 20 MB file to R2 whole", async () => {
    const { s, id, recording } = await draft();
    const size = 20 * MB;
    const chunk = new Uint8Array(64 * 1024);
    chunk.set(new TextEncoder().encode("%PDF-1.7\n"));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= size) return controller.close();
        controller.enqueue(sent === 0 ? chunk : new Uint8Array(64 * 1024));
        sent += 64 * 1024;
      },
    });
    const response = await upload(s.learnerClient, id, recording, body, { length: size, name: "lesson.pdf" });
    expect(response.status).toBe(200);
    const [key] = await storedKeys(id);
    expect((await env.FILES.head(key!))?.size).toBe(size);
  });

  it("refuses, storing nothing: a file over the part's limit, a type the part does not take, a mislabelled file, and a wrong length", async () => {
    const { s, id, plan } = await draft();
    const big = await upload(s.learnerClient, id, plan, pdf(MB + 1), { length: MB + 1 });
    expect(big.status).toBe(422);
    expect(((await big.json()) as { error: { message: string } }).error.message).toContain("takes at most 1.0 MB");
    const image = await upload(s.learnerClient, id, plan, png(), { length: png().length, name: "plan.pdf" });
    expect(((await image.json()) as { error: { message: string } }).error.message).toBe(
      '"Lesson plan" takes PDF; this file is a PNG image.',
    );
    const mislabelled = await upload(s.learnerClient, id, plan, pdf(), { length: 2000, type: "image/png" });
    expect(mislabelled.status).toBe(422);
    expect(((await mislabelled.json()) as { error: { message: string } }).error.message).toContain("says it is PNG image");
    const short = await upload(s.learnerClient, id, plan, pdf(1000), { length: 2000 });
    expect(short.status).toBe(422);
    const text = await upload(s.learnerClient, id, s.parts[0]!.id, pdf(), { length: 2000 });
    expect(text.status).toBe(422);
    expect(await storedKeys(id)).toEqual([]);
    expect((await s.learnerClient.gql(SUBMISSION_QUERY, { id })).submission.answers).toEqual([]);
  });

  it("refuses uploads to someone else's submission, after submitting, and without a session", async () => {
    const { s, id, plan } = await draft();
    const { client: other } = await signedIn();
    expect((await upload(other, id, plan, pdf(), { length: 2000 })).status).toBe(404);
    const anonymous = new (s.learnerClient.constructor as new () => TestClient)();
    expect((await upload(anonymous, id, plan, pdf(), { length: 2000 })).status).toBe(401);
    await upload(s.learnerClient, id, plan, pdf(), { length: 2000 });
    await s.learnerClient.gql(SAVE, { id, answers: [{ partId: s.parts[0]!.id, text: "Forces." }] });
    await s.learnerClient.gql(SUBMIT, { id });
    const late = await upload(s.learnerClient, id, plan, pdf(), { length: 2000 });
    expect(late.status).toBe(409);
    expect(await storedKeys(id)).toHaveLength(1);
  });
});

describe("reading evidence", () => {
  it("gives the learner and the issuer's assessor their own short-lived links; nobody else can use them", async () => {
    const { s, id, plan } = await draft();
    await upload(s.learnerClient, id, plan, pdf(), { length: 2000, name: "plan.pdf" });
    const learnerUrl = (await s.learnerClient.gql(FILE_ANSWERS, { id })).submission.answers[0].fileUrl as string;
    const path = (url: string) => url.replace("http://127.0.0.1:8787", "");
    const mine = await s.learnerClient.request(path(learnerUrl));
    expect(mine.status).toBe(200);
    expect(mine.headers.get("content-disposition")).toBe("attachment; filename*=UTF-8''plan.pdf");
    expect(mine.headers.get("cache-control")).toBe("private, no-store");
    expect(new Uint8Array(await mine.arrayBuffer()).length).toBe(2000);

    const assessorUrl = (await s.assessorClient.gql(FILE_ANSWERS, { id })).submission.answers[0].fileUrl as string;
    expect((await s.assessorClient.request(path(assessorUrl))).status).toBe(200);
    // A link works only in the session of the viewer it was made for.
    expect((await s.assessorClient.request(path(learnerUrl))).status).toBe(403);
    const { client: stranger } = await signedIn();
    expect((await stranger.gql(FILE_ANSWERS, { id })).submission).toBeNull();
    expect((await stranger.request(path(learnerUrl))).status).toBe(403);
    const otherIssuer = await microCredential();
    expect((await otherIssuer.assessorClient.gql(FILE_ANSWERS, { id })).submission).toBeNull();
    // Forged or expired links fail the same way.
    expect((await s.learnerClient.request(path(learnerUrl).replace(/sig=[0-9a-f]/, "sig=0"))).status).toBe(403);
    const expired = path(learnerUrl).replace(/expires=\d+/, `expires=${Date.now() - 1}`);
    expect((await s.learnerClient.request(expired)).status).toBe(403);
    expect((await s.learnerClient.request(path(learnerUrl).split("?")[0]!)).status).toBe(403);
  });

  it("keeps files out of the award's public evidence", async () => {
    const { s, id, plan } = await draft();
    await upload(s.learnerClient, id, plan, pdf(), { length: 2000 });
    await s.learnerClient.gql(SAVE, { id, answers: [{ partId: s.parts[0]!.id, text: "Forces." }] });
    await s.learnerClient.gql(SUBMIT, { id });
    await s.assessorClient.gql(CLAIM, { id });
    const decided = (await s.assessorClient.gql(DECIDE, { id, decision: "AWARDED", scores: passingScores(s) })).decideSubmission;
    expect(JSON.stringify(decided.award.evidence)).not.toContain("evidence/");
  });
});
