import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, crockfordEncode, normalizeCrockford } from "./base32";
import { hotp, matchTotp, newTotpSecret, otpauthUri, timeStep } from "./totp";

const rfcSecret = new TextEncoder().encode("12345678901234567890") as Uint8Array<ArrayBuffer>;

describe("TOTP", () => {
  // RFC 6238 appendix B, SHA-1 column (8 digits).
  it.each([
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ])("matches the RFC 6238 vector at T=%i", async (seconds, expected) => {
    expect(await hotp(rfcSecret, timeStep(seconds * 1000), 8)).toBe(expected);
  });

  it("accepts otpauth's codes one step either side and nothing further", async () => {
    const secret = newTotpSecret();
    const app = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 });
    const now = Date.now();
    const bytes = base32Decode(secret);
    for (const offset of [-1, 0, 1]) {
      expect(await matchTotp(bytes, app.generate({ timestamp: now + offset * 30_000 }), now)).toBe(timeStep(now) + offset);
    }
    for (const offset of [-2, 2]) {
      const code = app.generate({ timestamp: now + offset * 30_000 });
      const nearby = await Promise.all([-1, 0, 1].map((o) => hotp(bytes, timeStep(now) + o)));
      if (!nearby.includes(code)) expect(await matchTotp(bytes, code, now)).toBeNull();
    }
  });

  it("builds an otpauth URI that authenticator apps read as Laurel, SHA-1, 6 digits, 30 s", () => {
    const secret = newTotpSecret();
    const parsed = OTPAuth.URI.parse(otpauthUri("ada@example.org", secret));
    expect(parsed).toBeInstanceOf(OTPAuth.TOTP);
    expect(parsed).toMatchObject({ issuer: "Laurel", label: "ada@example.org", algorithm: "SHA1", digits: 6, period: 30 });
    expect(parsed.secret.base32).toBe(secret);
    expect(otpauthUri("ada@example.org", secret)).toMatch(/^otpauth:\/\/totp\/Laurel:ada%40example\.org\?secret=/);
  });

  it("makes 160-bit secrets", () => {
    expect(base32Decode(newTotpSecret())).toHaveLength(20);
  });
});

describe("base32", () => {
  it("agrees with otpauth's RFC 4648 encoding", () => {
    const secret = new OTPAuth.Secret({ size: 20 });
    expect(base32Encode(new Uint8Array(secret.buffer))).toBe(secret.base32);
    expect([...base32Decode(secret.base32)]).toEqual([...new Uint8Array(secret.buffer)]);
  });

  it("reads Crockford base32 the way people type it", () => {
    expect(crockfordEncode(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff]))).toBe("ZZZZZZZZ");
    expect(normalizeCrockford("abcd-efgh ijkl mnop")).toBe("ABCDEFGH1JK1MN0P");
    expect(normalizeCrockford("ABCU")).toBeNull();
  });
});
