// RFC 4648 base32 (what otpauth:// URIs carry) and Crockford base32 (what people type).
const RFC4648 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encode(bytes: Uint8Array, alphabet: string): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

export const base32Encode = (bytes: Uint8Array) => encode(bytes, RFC4648);
export const crockfordEncode = (bytes: Uint8Array) => encode(bytes, CROCKFORD);

export function base32Decode(text: string): Uint8Array<ArrayBuffer> {
  const clean = text.toUpperCase().replace(/[\s=-]/g, "");
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const char of clean) {
    const index = RFC4648.indexOf(char);
    if (index < 0) throw new Error("not base32");
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Uint8Array.from(out);
}

/**
 * Crockford base32 as typed by a person: case-insensitive, I/L read as 1, O as 0,
 * separators ignored. Returns null when something else is left.
 */
export function normalizeCrockford(text: string): string | null {
  const clean = text.toUpperCase().replace(/[\s-]/g, "").replace(/[IL]/g, "1").replace(/O/g, "0");
  return /^[0-9A-HJKMNP-TV-Z]+$/.test(clean) ? clean : null;
}

/** "ABCDEFGH" -> "ABCD EFGH": easier to read aloud and to type. */
export const groupsOf = (text: string, size: number, separator = " ") => text.match(new RegExp(`.{1,${size}}`, "g"))?.join(separator) ?? "";
