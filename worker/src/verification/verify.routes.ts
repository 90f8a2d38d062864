import { Hono } from "hono";
import { getConfig } from "../env";
import { credentialRoutes } from "./credentials.routes";
import { publicRoutes } from "./public.routes";
import { type DocumentFetcher, type VerifyInput, VerifyInputError, verifyBadge } from "./verifier";

const MAX_UPLOAD_BYTES = 2 * 1024 * 1024;

/** Laurel's own public documents, answered in-process (and from the edge cache). */
const ownDocuments = new Hono<{ Bindings: Env }>().route("/", publicRoutes).route("/", credentialRoutes);

/** `POST /api/verify`: anyone checks a badge URL, its JSON, or a baked image (multipart `image`). */
export const verifyRoutes = new Hono<{ Bindings: Env }>();

verifyRoutes.post("/", async (c) => {
  const config = getConfig(c.env);
  let input: VerifyInput;
  if ((c.req.header("content-type") ?? "").startsWith("multipart/form-data")) {
    const form = await c.req.formData();
    const image = form.get("image");
    if (image instanceof File && image.size > MAX_UPLOAD_BYTES) return c.json({ error: "The image is larger than 2 MB." }, 413);
    input = {
      url: String(form.get("url") ?? ""),
      json: String(form.get("json") ?? ""),
      email: String(form.get("email") ?? ""),
      image: image instanceof File ? new Uint8Array(await image.arrayBuffer()) : null,
    };
  } else {
    const body = (await c.req.json().catch(() => null)) as { url?: string; assertion?: unknown; email?: string } | null;
    if (!body)
      return c.json(
        { error: "Send JSON: { url } or { assertion } (an OB 2.0 assertion or OB 3.0 credential), and optionally { email }." },
        400,
      );
    input = {
      url: body.url,
      json: typeof body.assertion === "string" ? body.assertion : body.assertion ? JSON.stringify(body.assertion) : null,
      email: body.email,
    };
  }
  // Laurel's own documents come from its own handler (and edge cache), mounted at /public; others over the network.
  const fetchDocument: DocumentFetcher = async (url) => {
    const own = url.startsWith(`${config.appUrl}/public/`);
    if (!own && !config.verifyRemote) throw new Error("remote verification is off");
    const response = own
      ? await ownDocuments.request(
          new URL(url).pathname.replace(/^\/public/, ""),
          { headers: { accept: "application/ld+json" } },
          c.env,
          c.executionCtx,
        )
      : await fetch(url, { headers: { accept: "application/ld+json, application/json" }, signal: AbortSignal.timeout(5000) });
    const body = await response.json().catch(() => null);
    return { status: response.status, body: body && typeof body === "object" ? (body as Record<string, unknown>) : null };
  };
  try {
    const result = await verifyBadge({ now: Date.now }, input, fetchDocument);
    return c.json(result, 200, { "access-control-allow-origin": "*" });
  } catch (error) {
    if (error instanceof VerifyInputError) return c.json({ error: error.message }, 400, { "access-control-allow-origin": "*" });
    throw error;
  }
});
