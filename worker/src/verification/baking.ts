import { type LeadingElement, SvgError, sanitiseSvg } from "../lib/svg";
import { findElement, parseXml, textContent, type XmlElement, XmlError } from "../lib/xml";

// Baking: the badge carried inside its image. PNG: iTXt chunks `openbadges` (OB 2.0 assertion)
// and `openbadgecredential` (OB 3.0); SVG: `openbadges:assertion` and `openbadges:credential`.

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export class BakingError extends Error {
  override name = "BakingError";
}

interface Chunk {
  type: string;
  data: Uint8Array;
  start: number;
  end: number;
}

/** The chunks of a PNG, checked: signature, lengths and CRCs. */
function readChunks(png: Uint8Array): Chunk[] {
  if (png.length < 8 || PNG_SIGNATURE.some((b, i) => png[i] !== b)) throw new BakingError("This is not a PNG image.");
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: Chunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    if (offset + 12 > png.length) throw new BakingError("The PNG image is cut short.");
    const length = view.getUint32(offset);
    const end = offset + 12 + length;
    if (end > png.length) throw new BakingError("The PNG image is cut short.");
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length))
      throw new BakingError("The PNG image is corrupt.");
    chunks.push({ type, data, start: offset, end });
    offset = end;
    if (type === "IEND") break;
  }
  if (chunks[0]?.type !== "IHDR" || chunks.at(-1)?.type !== "IEND") throw new BakingError("The PNG image is corrupt.");
  return chunks;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** iTXt: keyword, NUL, compression flag 0, method 0, empty language tag and translated keyword (NUL each), UTF-8 text. */
function iTxt(keyword: string, text: string): Uint8Array {
  const head = new TextEncoder().encode(keyword);
  const body = new TextEncoder().encode(text);
  const data = new Uint8Array(head.length + 5 + body.length);
  data.set(head, 0);
  data.set([0, 0, 0, 0, 0], head.length);
  data.set(body, head.length + 5);
  return chunk("iTXt", data);
}

function readITxt(data: Uint8Array): { keyword: string; text: string } | null {
  const nul = data.indexOf(0);
  if (nul < 0 || data[nul + 1] !== 0) return null; // compressed iTXt is not used for badges
  let at = nul + 3;
  at = data.indexOf(0, at) + 1; // language tag
  at = data.indexOf(0, at) + 1; // translated keyword
  if (at <= 0) return null;
  return { keyword: new TextDecoder().decode(data.subarray(0, nul)), text: new TextDecoder().decode(data.subarray(at)) };
}

/** The PNG with `text` baked under `keyword`, replacing an earlier bake; placed right after IHDR. */
export function bakePng(png: Uint8Array, text: string, keyword = "openbadges"): Uint8Array<ArrayBuffer> {
  const chunks = readChunks(png).filter((c) => !(c.type === "iTXt" && readITxt(c.data)?.keyword === keyword));
  const parts = [
    Uint8Array.from(PNG_SIGNATURE),
    ...chunks.flatMap((c) => (c.type === "IHDR" ? [png.subarray(c.start, c.end), iTxt(keyword, text)] : [png.subarray(c.start, c.end)])),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function unbakePng(png: Uint8Array, keyword = "openbadges"): string | null {
  for (const c of readChunks(png)) {
    if (c.type !== "iTXt") continue;
    const entry = readITxt(c.data);
    if (entry?.keyword === keyword) return entry.text;
  }
  return null;
}

/** OB 2.0 baking binds `openbadges:` here; OB 3.0 (§5.3.2 of the spec) to its own namespace. */
export const OB2_BAKING_NS = "http://openbadges.org";
export const OB3_BAKING_NS = "https://purl.imsglobal.org/ob/v3p0";

export interface SvgBake {
  /** OB 2.0: the hosted assertion's URL and its JSON. */
  assertion: { verify: string; json: string };
  /** OB 3.0: the signed credential's JSON, when there is one. */
  credential: string | null;
}

/**
 * Bakes both generations into one SVG, which is sanitised again first (images stored before the
 * allow-list included), so a baked file opened anywhere carries only allowed content. OB 2.0 wants
 * its `<openbadges:assertion>` directly after `<svg>` with the prefix bound on the root; OB 3.0
 * wants `<openbadges:credential>` in its own namespace: it follows, rebinding the prefix on itself,
 * so a namespace-aware reader finds each in its namespace and a prefix-matching one finds both.
 * Earlier bakes are dropped with the rest of the foreign markup.
 */
export function bakeSvg(svg: string, bake: SvgBake): string {
  const leading: LeadingElement[] = [
    {
      prefix: "openbadges",
      namespace: OB2_BAKING_NS,
      local: "assertion",
      attributes: { verify: bake.assertion.verify },
      text: bake.assertion.json,
    },
  ];
  if (bake.credential !== null)
    leading.push({ prefix: "openbadges", namespace: OB3_BAKING_NS, local: "credential", text: bake.credential });
  try {
    return sanitiseSvg(svg, { leading }).svg;
  } catch (error) {
    if (error instanceof SvgError) throw new BakingError(error.message);
    throw error;
  }
}

/** The body of a baked element, else its `verify` attribute (a URL, or a compact JWS). */
function bakedText(element: XmlElement | null): string | null {
  if (!element) return null;
  const body = textContent(element).trim();
  if (body) return body;
  return element.attributes.find((a) => a.local === "verify" && a.namespace === null)?.value.trim() || null;
}

/**
 * What an SVG carries: the first OB 2.0 assertion and the first OB 3.0 credential, found by
 * namespace. Laurel's own downloads from before credentials had their namespace put the credential
 * in OB 2.0's, and some tools never declare the prefix: both are still read.
 */
export function unbakeSvg(svg: string): { assertion: string | null; credential: string | null } {
  let root: XmlElement;
  try {
    root = parseXml(svg, { tolerateUndeclaredPrefixes: true }).root;
  } catch (error) {
    if (error instanceof XmlError) throw new BakingError(`The SVG image could not be read: ${error.message}.`);
    throw error;
  }
  const named = (local: string, namespaces: string[]) => (e: XmlElement) =>
    e.local === local && (e.namespace === null ? e.prefix === "openbadges" : namespaces.includes(e.namespace));
  return {
    assertion: bakedText(findElement(root, named("assertion", [OB2_BAKING_NS]))),
    credential: bakedText(findElement(root, named("credential", [OB3_BAKING_NS, OB2_BAKING_NS]))),
  };
}

export const isPng = (bytes: Uint8Array) => PNG_SIGNATURE.every((b, i) => bytes[i] === b);
