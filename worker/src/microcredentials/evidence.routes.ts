import { Hono } from "hono";
import type { AppEnv } from "../http/request-context";
import { NotFoundError, ValidationError } from "../lib/errors";
import { SubmissionStateError } from "./errors";
import { checkEvidenceUrl, uploadEvidenceFile } from "./evidence-files.service";

/**
 * Evidence files: uploads stream the request body to R2 (a GraphQL multipart upload would
 * buffer the whole file), and reads need a signed link (ADR 020).
 */
export const evidenceRoutes = new Hono<AppEnv>();

const ID = "[0-9a-f-]{36}";

evidenceRoutes.put(`/submissions/:submissionId{${ID}}/parts/:partId{${ID}}/file`, async (c) => {
  const app = c.var.app;
  if (!app.user) return c.json({ error: { code: "UNAUTHENTICATED", message: "Sign in to continue." } }, 401);
  const length = c.req.header("content-length");
  try {
    const { file } = await uploadEvidenceFile(app, app.user, c.req.param("submissionId"), c.req.param("partId"), {
      body: c.req.raw.body,
      length: length && /^\d+$/.test(length) ? Number(length) : null,
      name: decodeURIComponent(c.req.query("name") ?? "evidence"),
      declaredType: c.req.header("content-type") ?? null,
    });
    return c.json({ file: { name: file.name, type: file.type, size: file.size } });
  } catch (error) {
    if (error instanceof ValidationError) {
      return c.json({ error: { code: "VALIDATION", message: error.message, fieldErrors: error.fieldErrors } }, 422);
    }
    if (error instanceof SubmissionStateError) {
      return c.json({ error: { code: "SUBMISSION_STATE", message: error.message, state: error.state } }, 409);
    }
    if (error instanceof NotFoundError) return c.json({ error: { code: "NOT_FOUND", message: error.message } }, 404);
    throw error;
  }
});

evidenceRoutes.get(`/evidence/:submissionId{${ID}}/:fileId{${ID}}`, async (c) => {
  const app = c.var.app;
  const key = `evidence/${c.req.param("submissionId")}/${c.req.param("fileId")}`;
  const allowed = await checkEvidenceUrl(app, key, { expires: c.req.query("expires"), sig: c.req.query("sig") }, app.user?.id ?? null);
  // The same answer for a missing, expired, forged or someone else's link.
  if (!allowed) return c.json({ error: "This link has expired or is not yours. Open the submission again." }, 403);
  const object = await c.env.FILES.get(key);
  if (!object) return c.json({ error: "Not found" }, 404);
  const name = object.customMetadata?.name ?? "evidence";
  return new Response(object.body, {
    headers: {
      "content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
      "content-length": String(object.size),
      "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(name)}`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
});
