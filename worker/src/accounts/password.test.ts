import { describe, expect, it } from "vitest";
import { COMMON_PASSWORD_COUNT, isCommonPassword } from "./common-passwords";
import { hashPassword, PBKDF2_ITERATIONS, parseHashIterations, verifyPassword } from "./password";

describe("password hashing", () => {
  it("uses PBKDF2-SHA256 at exactly 100,000 iterations, the Workers cap", async () => {
    // Production Workers reject more; local workerd would not, so this test is the guard.
    expect(PBKDF2_ITERATIONS).toBe(100_000);
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(parseHashIterations(hash)).toBe(100_000);
  });

  it("salts per hash and verifies only the right password", async () => {
    const a = await hashPassword("same password here");
    const b = await hashPassword("same password here");
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password here", a)).toBe(true);
    expect(await verifyPassword("same password here ", a)).toBe(false);
  });

  it("matches an independently computed PBKDF2 (RFC 8018 parameters)", async () => {
    const salt = new Uint8Array(16).fill(7);
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("pässword"), "PBKDF2", false, ["deriveBits"]);
    const bits = new Uint8Array(await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: 100_000 }, key, 256));
    const b64 = (u: Uint8Array) =>
      btoa(String.fromCharCode(...u))
        .replaceAll("+", "-")
        .replaceAll("/", "_")
        .replace(/=+$/, "");
    expect(await verifyPassword("pässword", `pbkdf2-sha256$100000$${b64(salt)}$${b64(bits)}`)).toBe(true);
  });

  it("refuses hashes it cannot honour in production (over the cap, unknown algorithm, garbage)", async () => {
    const hash = await hashPassword("some password");
    expect(await verifyPassword("some password", hash.replace("$100000$", "$200000$"))).toBe(false);
    expect(await verifyPassword("some password", hash.replace("pbkdf2-sha256", "pbkdf2-sha1"))).toBe(false);
    expect(await verifyPassword("some password", "garbage")).toBe(false);
  });
});

describe("common passwords", () => {
  it("ships at least the 10,000 most common passwords", () => {
    expect(COMMON_PASSWORD_COUNT).toBeGreaterThanOrEqual(10_000);
    for (const p of ["123456", "password", "qwerty123", "iloveyou", "Password1", "football"]) expect(isCommonPassword(p)).toBe(true);
    expect(isCommonPassword("laurel leaves in autumn")).toBe(false);
  });
});
