// Baking: the assertion carried inside the badge image itself (Open Badges 2.0 "Baking"):
// PNG: an iTXt chunk with the keyword `openbadges`; SVG: an `openbadges:assertion` element.

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

const cdata = (text: string) => `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;

/**
 * Bakes into an SVG: an OB 2.0 `<openbadges:assertion verify="…">` or, without a verify URL,
 * an OB 3.0 `<openbadges:credential>`, replacing an earlier one of the same kind.
 */
export function bakeSvg(svg: string, text: string, verifyUrl: string | null): string {
  const element = verifyUrl === null ? "credential" : "assertion";
  const clean = svg.replace(new RegExp(`<openbadges:${element}[\\s\\S]*?</openbadges:${element}>`, "g"), "");
  const root = /<svg\b[^>]*>/i.exec(clean);
  if (!root) throw new BakingError("This is not an SVG image.");
  const open = root[0].includes("xmlns:openbadges") ? root[0] : root[0].replace(/<svg\b/i, '<svg xmlns:openbadges="http://openbadges.org"');
  const verify = verifyUrl === null ? "" : ` verify="${verifyUrl.replaceAll('"', "&quot;")}"`;
  return clean.replace(root[0], `${open}<openbadges:${element}${verify}>${cdata(text)}</openbadges:${element}>`);
}

/** The baked OB 3.0 credential of an SVG, or null. */
export function unbakeSvgCredential(svg: string): string | null {
  const match = /<openbadges:credential\b[^>]*>([\s\S]*?)<\/openbadges:credential>/.exec(svg);
  return match ? uncdata(match[1] ?? "") || null : null;
}

const uncdata = (body: string) =>
  body
    .replace(/^\s*<!\[CDATA\[/, "")
    .replace(/\]\]>\s*$/, "")
    .replaceAll("]]]]><![CDATA[>", "]]>")
    .trim();

/** The baked assertion of an SVG: the element's JSON, or its `verify` URL when it has no body. */
export function unbakeSvg(svg: string): string | null {
  const match =
    /<openbadges:assertion\b([^>]*)>([\s\S]*?)<\/openbadges:assertion>/.exec(svg) ?? /<openbadges:assertion\b([^>]*)\/>/.exec(svg);
  if (!match) return null;
  const body = uncdata(match[2] ?? "");
  if (body) return body;
  return /verify\s*=\s*"([^"]+)"/.exec(match[1] ?? "")?.[1] ?? null;
}

export const isPng = (bytes: Uint8Array) => PNG_SIGNATURE.every((b, i) => bytes[i] === b);
