import { describe, expect, it } from "vitest";
import { randomBytes } from "./crypto";
import { open, seal } from "./secret-box";

describe("secret box (AES-256-GCM)", () => {
  const key = randomBytes(32);

  it("round-trips and never contains the plaintext", async () => {
    const box = await seal(key, "JBSWY3DPEHPK3PXP", "row-1");
    expect(box).not.toContain("JBSWY3DPEHPK3PXP");
    expect(await open(key, box, "row-1")).toBe("JBSWY3DPEHPK3PXP");
  });

  it("uses a fresh IV every time", async () => {
    expect(await seal(key, "same", "row")).not.toBe(await seal(key, "same", "row"));
  });

  it("refuses another key, another row, or a tampered box", async () => {
    const box = await seal(key, "secret", "row-1");
    await expect(open(randomBytes(32), box, "row-1")).rejects.toThrow();
    await expect(open(key, box, "row-2")).rejects.toThrow();
    // Always a different character (copying the one already there tampers nothing), and not the
    // last, which also holds padding bits.
    const at = box.length - 2;
    const tampered = `${box.slice(0, at)}${box[at] === "A" ? "B" : "A"}${box.slice(at + 1)}`;
    await expect(open(key, tampered, "row-1")).rejects.toThrow();
  });
});
