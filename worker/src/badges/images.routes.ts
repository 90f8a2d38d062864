import { Hono } from "hono";
import { IMAGE_HEADERS } from "../http/image-headers";
import { SVG_SANITISER_VERSION, SvgError, sanitiseSvg } from "../lib/svg";

/** Badge, issuer, profile and pathway images from R2. Keys are immutable, so responses cache for a year. */
export const imageRoutes = new Hono<{ Bindings: Env }>();

imageRoutes.get("/:folder{badges|issuers|profiles|pathways}/:name{[A-Za-z0-9-]+\\.(png|svg)}", async (c) => {
  const key = `${c.req.param("folder")}/${c.req.param("name")}`;
  const object = await c.env.FILES.get(key);
  if (!object) return c.json({ error: "Not found" }, 404);
  const svg = key.endsWith(".svg");
  // SVGs stored before the allow-list (or under an older one) are sanitised on the way out, so
  // nothing unsanitised is ever served; their ETag differs from the stored object's.
  const stale = svg && object.customMetadata?.svgSanitiser !== SVG_SANITISER_VERSION;
  const etag = stale ? `"${object.etag}-s${SVG_SANITISER_VERSION}"` : object.httpEtag;
  const headers = new Headers({
    ...IMAGE_HEADERS,
    "content-type": svg ? "image/svg+xml" : "image/png",
    "cache-control": object.httpMetadata?.cacheControl ?? "public, max-age=31536000, immutable",
    etag,
  });
  if (c.req.header("if-none-match") === etag) return new Response(null, { status: 304, headers });
  if (!stale) return new Response(object.body, { headers });
  try {
    return new Response(sanitiseSvg(await object.text()).svg, { headers });
  } catch (error) {
    if (!(error instanceof SvgError)) throw error;
    // An old upload that is not even well-formed XML: there is nothing safe to serve.
    return c.json({ error: "This image cannot be shown." }, 404);
  }
});
