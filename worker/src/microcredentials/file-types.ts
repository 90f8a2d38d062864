// What a file is, from its first bytes: the name and the declared type are the sender's claim.

const SIGNATURES: { type: string; test: (b: Uint8Array) => boolean }[] = [
  { type: "application/pdf", test: (b) => ascii(b, 0, "%PDF-") },
  { type: "image/png", test: (b) => bytes(b, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: "image/jpeg", test: (b) => bytes(b, 0, [0xff, 0xd8, 0xff]) },
  { type: "image/gif", test: (b) => ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a") },
  { type: "image/webp", test: (b) => ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP") },
  { type: "video/mp4", test: (b) => ascii(b, 4, "ftyp") },
  { type: "application/zip", test: (b) => bytes(b, 0, [0x50, 0x4b, 0x03, 0x04]) },
];

/** Bytes needed to tell every type above apart. */
export const SNIFF_BYTES = 12;

function bytes(b: Uint8Array, at: number, expected: number[]): boolean {
  return b.length >= at + expected.length && expected.every((x, i) => b[at + i] === x);
}

function ascii(b: Uint8Array, at: number, text: string): boolean {
  return bytes(
    b,
    at,
    [...text].map((c) => c.charCodeAt(0)),
  );
}

export function sniffType(head: Uint8Array): string | null {
  return SIGNATURES.find((s) => s.test(head))?.type ?? null;
}

export const TYPE_NAMES: Record<string, string> = {
  "application/pdf": "PDF",
  "image/png": "PNG image",
  "image/jpeg": "JPEG image",
  "image/gif": "GIF image",
  "image/webp": "WebP image",
  "video/mp4": "MP4 video",
  "application/zip": "ZIP archive",
};
