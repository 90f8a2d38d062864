import { describe, expect, it } from "vitest";
import { readProof, signDocument, verifyDocument } from "./data-integrity";
import { OB3_CONTEXT, VC_V2_CONTEXT } from "./json-ld";
import { base58btcDecode, base58btcEncode, ed25519Multikey, rawEd25519FromMultikey } from "./multibase";

async function keyPair() {
  return (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
}

const credential = {
  "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
  id: "https://laurel.example/public/credentials/a1",
  type: ["VerifiableCredential", "OpenBadgeCredential"],
  issuer: { id: "did:web:laurel.example:public:issuers:i1", type: ["Profile"], name: "Academy" },
  validFrom: "2026-11-01T00:00:00Z",
  name: "Safeguarding",
  credentialSubject: {
    type: ["AchievementSubject"],
    achievement: {
      id: "https://laurel.example/public/badges/b1",
      type: ["Achievement"],
      name: "Safeguarding",
      description: "Knows the basics",
      criteria: { narrative: "Pass the quiz" },
    },
  },
};

describe("base58btc and Multikey", () => {
  it("round-trips bytes, keeping leading zeros", () => {
    const bytes = Uint8Array.from([0, 0, 1, 2, 255, 128]);
    expect(base58btcDecode(base58btcEncode(bytes))).toEqual(bytes);
    expect(base58btcEncode(new TextEncoder().encode("Hello World!"))).toBe("2NEpo7TZRRrLZSi2U");
    expect(base58btcDecode("0OIl")).toBeNull();
  });

  it("publishes an Ed25519 public key as z6Mk…", () => {
    const raw = new Uint8Array(32).fill(7);
    const multikey = ed25519Multikey(raw);
    expect(multikey).toMatch(/^z6Mk/);
    expect(rawEd25519FromMultikey(multikey)).toEqual(raw);
    expect(rawEd25519FromMultikey("zQ3s")).toBeNull();
  });
});

describe("eddsa-rdfc-2022", () => {
  it("signs and verifies, and any change to the document breaks the proof", async () => {
    const keys = await keyPair();
    const signed = await signDocument(credential, {
      privateKey: keys.privateKey,
      verificationMethod: "did:web:laurel.example:public:issuers:i1#key-1",
      created: new Date("2026-11-01T10:00:00.123Z"),
    });
    expect(signed.proof).toMatchObject({ type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", created: "2026-11-01T10:00:00Z" });
    const read = readProof(signed);
    if (!read.ok) throw new Error(read.reason);
    expect(await verifyDocument(signed, read.proof, keys.publicKey)).toBe(true);

    const renamed = structuredClone(signed);
    renamed.credentialSubject.achievement.name = "Something else";
    expect(await verifyDocument(renamed, read.proof, keys.publicKey)).toBe(false);
    const otherKey = await keyPair();
    expect(await verifyDocument(signed, read.proof, otherKey.publicKey)).toBe(false);
    expect(await verifyDocument(signed, { ...read.proof, created: "2026-11-02T10:00:00Z" }, keys.publicKey)).toBe(false);
  });

  it("refuses to sign terms that no context defines", async () => {
    const keys = await keyPair();
    const undefinedTerm = { ...credential, "@context": [OB3_CONTEXT], mystery: "value" };
    await expect(
      signDocument(undefinedTerm, { privateKey: keys.privateKey, verificationMethod: "did:example:1#k", created: new Date() }),
    ).rejects.toThrow();
  });
});
