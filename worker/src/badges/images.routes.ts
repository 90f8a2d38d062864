import { Hono } from "hono";

/** Badge and issuer images from R2. Keys are immutable, so responses cache for a year. */
export const imageRoutes = new Hono<{ Bindings: Env }>();

imageRoutes.get("/:folder{badges|issuers|profiles}/:name{[A-Za-z0-9-]+\\.(png|svg)}", async (c) => {
  const key = `${c.req.param("folder")}/${c.req.param("name")}`;
  const object = await c.env.FILES.get(key);
  if (!object) return c.json({ error: "Not found" }, 404);
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("etag", object.httpEtag);
  headers.set("x-content-type-options", "nosniff");
  // An SVG opened directly must not run anything, even though uploads are checked.
  headers.set("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  if (c.req.header("if-none-match") === object.httpEtag) return new Response(null, { status: 304, headers });
  return new Response(object.body, { headers });
});
