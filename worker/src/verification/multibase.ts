// Multibase/multicodec encodings used by Data Integrity proofs and Multikey documents.
const ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

export function base58btcEncode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const digits: number[] = [];
  for (const byte of bytes) {
    let carry = byte;
    for (let i = 0; i < digits.length; i++) {
      carry += (digits[i] as number) << 8;
      digits[i] = carry % 58;
      carry = Math.floor(carry / 58);
    }
    while (carry > 0) {
      digits.push(carry % 58);
      carry = Math.floor(carry / 58);
    }
  }
  let out = "1".repeat(zeros);
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i] as number];
  return out;
}

/** Null when the text is not base58btc. */
export function base58btcDecode(text: string): Uint8Array<ArrayBuffer> | null {
  let zeros = 0;
  while (zeros < text.length && text[zeros] === "1") zeros++;
  const bytes: number[] = [];
  for (const char of text) {
    let carry = ALPHABET.indexOf(char);
    if (carry < 0) return null;
    for (let i = 0; i < bytes.length; i++) {
      carry += (bytes[i] as number) * 58;
      bytes[i] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const out = new Uint8Array(zeros + bytes.length);
  for (let i = 0; i < bytes.length; i++) out[zeros + i] = bytes[bytes.length - 1 - i] as number;
  return out;
}

// The multicodec prefix of an Ed25519 public key (varint 0xed).
const ED25519_PUB = [0xed, 0x01];

/** `z6Mk…`: how Multikey documents and did:key publish an Ed25519 public key. */
export function ed25519Multikey(rawPublicKey: Uint8Array): string {
  return `z${base58btcEncode(Uint8Array.from([...ED25519_PUB, ...rawPublicKey]))}`;
}

/** The 32 raw bytes of an Ed25519 Multikey, or null when it is something else. */
export function rawEd25519FromMultikey(multibase: string): Uint8Array<ArrayBuffer> | null {
  if (!multibase.startsWith("z")) return null;
  const bytes = base58btcDecode(multibase.slice(1));
  if (bytes?.length !== 34 || bytes[0] !== ED25519_PUB[0] || bytes[1] !== ED25519_PUB[1]) return null;
  return bytes.slice(2);
}
