import { Hono } from "hono";
import { getIssuer } from "../badges/issuers.service";
import { getCredential, getIssuerDidDocument, getStatusListCredential } from "./credentials.service";
import { jsonLd, respond } from "./public-response";
import { revocationList } from "./status-list";

/** Open Badges 3.0 documents: credentials, issuers' DID documents, status and revocation lists. */
export const credentialRoutes = new Hono<{ Bindings: Env }>();

// Status documents change on every revocation; other data centers' caches cannot be purged
// from here, so they are kept briefly.
const STATUS_MAX_AGE = 60;

credentialRoutes.get("/credentials/:id", async (c) => {
  const response = await respond(c, async (ctx) => {
    const answer = await getCredential(ctx, c.req.param("id"));
    if (!answer) return null;
    return answer.kind === "revoked" ? jsonLd(410, answer.document) : jsonLd(200, answer.credential);
  });
  if (c.req.query("download") === undefined || response.status !== 200) return response;
  const download = new Response(response.body, response);
  download.headers.set("content-disposition", `attachment; filename="credential-${c.req.param("id")}.json"`);
  return download;
});

credentialRoutes.get("/issuers/:id/did.json", (c) =>
  respond(c, async (ctx) => {
    const document = await getIssuerDidDocument(ctx, c.req.param("id"));
    return document ? { ...jsonLd(200, document), type: "application/did+json; charset=utf-8" } : null;
  }),
);

credentialRoutes.get("/status-lists/:issuerId/:list{[0-9]{1,6}}", (c) =>
  respond(
    c,
    async (ctx) => {
      const credential = await getStatusListCredential(ctx, c.req.param("issuerId"), Number(c.req.param("list")));
      return credential ? jsonLd(200, credential) : null;
    },
    { maxAgeSeconds: STATUS_MAX_AGE },
  ),
);

credentialRoutes.get("/revocation-lists/:issuerId", (c) =>
  respond(
    c,
    async (ctx) => {
      const issuerId = c.req.param("issuerId");
      if (!(await getIssuer(ctx, issuerId))) return null;
      return { ...jsonLd(200, await revocationList(ctx, issuerId)), type: "application/json; charset=utf-8" };
    },
    { maxAgeSeconds: STATUS_MAX_AGE },
  ),
);
