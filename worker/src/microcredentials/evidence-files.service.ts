import { and, eq, inArray, sql } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import { hmacSha256Hex, timingSafeEqual } from "../lib/crypto";
import { NotFoundError, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { MINUTE } from "../lib/time";
import { SNIFF_BYTES, sniffType, TYPE_NAMES } from "./file-types";
import { getSubmission, requireMicroCredential, stateError } from "./submissions.service";
import { type EvidenceFile, type Submission, submissions } from "./submissions.table";

/** How long a link to an evidence file works: long enough to open it, too short to pass around. */
export const EVIDENCE_URL_TTL_MS = 10 * MINUTE;
const EDITABLE = ["draft", "returned"] as const;

export interface Upload {
  body: ReadableStream<Uint8Array> | null;
  /** Content-Length: R2 takes a stream only when its length is known. */
  length: number | null;
  name: string;
  declaredType: string | null;
}

/** Reads at least `n` bytes (or all there are) from the stream, keeping the reader for the rest. */
async function readHead(reader: ReadableStreamDefaultReader<Uint8Array>, n: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < n) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  const head = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    head.set(c, at);
    at += c.byteLength;
  }
  return head;
}

function cleanName(raw: string): string {
  // A display name only: control characters and path separators go; R2 keys never use it.
  const name = [...raw]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f && c !== "/" && c !== "\\")
    .join("")
    .trim()
    .slice(0, 200);
  return name || "evidence";
}

/**
 * Stores the file a learner uploads for a file part, streaming it to R2 without holding it:
 * the first bytes are read to learn its type, then they and the rest of the request body flow
 * through a FixedLengthStream of the declared length into the bucket. Refused before anything
 * is stored when it is too large, of a type the part does not take, or not what it claims to be.
 */
export async function uploadEvidenceFile(ctx: AppContext, user: User, submissionId: string, partId: string, upload: Upload) {
  const submission = await getSubmission(ctx, submissionId);
  if (!submission || submission.learnerId !== user.id) throw new NotFoundError("No submission with that id.");
  if (!(EDITABLE as readonly string[]).includes(submission.state)) throw stateError(submission, "edit it");
  const definition = await requireMicroCredential(ctx, submission.badgeClassId);
  const part = definition.parts.find((p) => p.id === partId);
  if (!part) throw new NotFoundError("That is not one of this micro-credential's parts.");
  if (part.kind !== "file") throw ValidationError.field("file", `"${part.title}" does not take a file.`);
  const maxBytes = part.maxBytes ?? 0;
  const accepted = part.fileTypes ?? [];
  const acceptedNames = accepted.map((t) => TYPE_NAMES[t] ?? t).join(", ");
  if (!upload.body || upload.length === null || !Number.isSafeInteger(upload.length)) {
    throw ValidationError.field("file", "Send the file with its length (Content-Length).");
  }
  if (upload.length === 0) throw ValidationError.field("file", "The file is empty.");
  if (upload.length > maxBytes) {
    await upload.body.cancel();
    throw ValidationError.field("file", `The file is ${megabytes(upload.length)}; "${part.title}" takes at most ${megabytes(maxBytes)}.`);
  }
  const reader = upload.body.getReader();
  const head = await readHead(reader, SNIFF_BYTES);
  const type = sniffType(head);
  const declared = upload.declaredType?.split(";")[0]?.trim().toLowerCase() || null;
  if (!type || !accepted.includes(type)) {
    await reader.cancel();
    throw ValidationError.field(
      "file",
      `"${part.title}" takes ${acceptedNames}; this file is ${type ? `a ${TYPE_NAMES[type]}` : "none of those"}.`,
    );
  }
  if (declared && declared !== "application/octet-stream" && declared !== type) {
    await reader.cancel();
    throw ValidationError.field(
      "file",
      `The file says it is ${TYPE_NAMES[declared] ?? declared} but its contents are a ${TYPE_NAMES[type]}.`,
    );
  }

  const key = `evidence/${submissionId}/${newId()}`;
  const name = cleanName(upload.name);
  const { readable, writable } = new FixedLengthStream(upload.length);
  const stored = ctx.env.FILES.put(key, readable, {
    httpMetadata: { contentType: type },
    customMetadata: { submissionId, partId, learnerId: user.id, name },
  });
  const pump = (async () => {
    const writer = writable.getWriter();
    try {
      await writer.write(head);
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        await writer.write(value);
      }
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => undefined);
      throw error;
    }
  })();
  try {
    await Promise.all([pump, stored]);
  } catch {
    // A body longer or shorter than it said: nothing usable was stored.
    await ctx.env.FILES.delete(key).catch(() => undefined);
    throw ValidationError.field("file", "The upload did not arrive whole (its length did not match). Try again.");
  }

  const file: EvidenceFile = { key, name, type, size: upload.length };
  // json_set, so a draft save of other parts in the meantime is not overwritten.
  const [updated] = await ctx.db
    .update(submissions)
    .set({
      answers: sql`json_set(${submissions.answers}, ${`$."${partId}"`}, json(${JSON.stringify({ file })}))`,
      updatedAt: new Date(ctx.now()),
    })
    .where(and(eq(submissions.id, submissionId), eq(submissions.learnerId, user.id), inArray(submissions.state, [...EDITABLE])))
    .returning();
  if (!updated) {
    await ctx.env.FILES.delete(key);
    const current = await getSubmission(ctx, submissionId);
    throw current ? stateError(current, "edit it") : new NotFoundError("No submission with that id.");
  }
  return { submission: updated, file };
}

function megabytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/** Every evidence file key a submission names, in its current answers. */
export function fileKeys(submission: Pick<Submission, "answers">): string[] {
  return Object.values(submission.answers)
    .map((a) => a.file?.key)
    .filter((k): k is string => !!k);
}

function signature(appSecret: string, key: string, expires: number, viewerId: string) {
  return hmacSha256Hex(appSecret, `evidence-url/v1\n${key}\n${expires}\n${viewerId}`);
}

/**
 * A link to an evidence file for one viewer, who was allowed to read the submission: signed
 * with HMAC over the key, the expiry and the viewer's id, so it works for minutes and only in
 * that viewer's session.
 */
export async function evidenceUrl(ctx: Pick<AppContext, "config" | "now">, key: string, viewerId: string): Promise<string> {
  const expires = ctx.now() + EVIDENCE_URL_TTL_MS;
  const sig = await signature(ctx.config.appSecret, key, expires, viewerId);
  return `${ctx.config.appUrl}/api/${key}?expires=${expires}&sig=${sig}`;
}

/** The key, if the link is genuine, unexpired and the viewer's own; null otherwise. */
export async function checkEvidenceUrl(
  ctx: Pick<AppContext, "config" | "now">,
  key: string,
  query: { expires?: string; sig?: string },
  viewerId: string | null,
): Promise<string | null> {
  const expires = Number(query.expires);
  if (!viewerId || !query.sig || !Number.isSafeInteger(expires) || expires <= ctx.now()) return null;
  const expected = await signature(ctx.config.appSecret, key, expires, viewerId);
  return timingSafeEqual(expected, query.sig) ? key : null;
}
