import { describe, expect, it } from "vitest";
import { checkOb3Schema } from "./schema-check";

const valid = (): Record<string, any> => ({
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  id: "https://laurel.example/public/credentials/a1",
  type: ["VerifiableCredential", "OpenBadgeCredential"],
  name: "Formative Assessment",
  issuer: { id: "did:web:laurel.example:public:issuers:i1", type: ["Profile"], name: "Northwind", url: "https://northwind.example.org/" },
  validFrom: "2026-11-02T00:00:00Z",
  credentialSubject: {
    type: ["AchievementSubject"],
    identifier: [{ type: "IdentityObject", hashed: true, identityHash: "sha256$abc", identityType: "emailAddress", salt: "s" }],
    achievement: {
      id: "https://laurel.example/public/badges/b1",
      type: ["Achievement"],
      name: "Formative Assessment",
      description: "Designs formative assessment.",
      criteria: { narrative: "Submit a unit plan." },
      image: { id: "https://laurel.example/public/images/b1.png", type: "Image" },
    },
  },
  credentialStatus: [{ id: "https://laurel.example/public/revocation-lists/i1", type: "1EdTechRevocationList" }],
  proof: { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", created: "2026-11-02T00:00:00Z", proofValue: "z1" },
});

type Credential = ReturnType<typeof valid>;

describe("the Open Badges 3.0 credential schema", () => {
  it("accepts a well-formed credential", () => {
    expect(checkOb3Schema(valid())).toEqual({ valid: true, errors: [] });
  });

  it.each<[string, (c: Credential) => void, RegExp]>([
    ["no validFrom", (c) => delete c.validFrom, /validFrom/],
    ["not an OpenBadgeCredential", (c) => (c.type = ["VerifiableCredential"]), /type/],
    ["the VC 2.0 context not first", (c) => c["@context"].reverse(), /@context/],
    ["no Open Badges context", (c) => (c["@context"] = ["https://www.w3.org/ns/credentials/v2", "https://example.org/ctx"]), /@context/],
    ["an unknown property on the subject", (c) => (c.credentialSubject.email = "a@example.org"), /credentialSubject/],
    ["an achievement without criteria", (c) => delete c.credentialSubject.achievement.criteria, /criteria/],
    ["a date that is not a date-time", (c) => (c.validFrom = "2 November 2026"), /validFrom/],
    ["an issuer that is not a Profile", (c) => (c.issuer.type = ["Organization"]), /issuer/],
    ["a recipient without a hash", (c) => delete c.credentialSubject.identifier[0].identityHash, /identifier/],
    ["no recipient at all", (c) => delete c.credentialSubject.identifier, /credentialSubject/],
  ])("rejects %s, saying where", (_name, change, where) => {
    const credential = valid();
    change(credential);
    const result = checkOb3Schema(credential);
    expect(result.valid).toBe(false);
    expect(result.errors.join("\n")).toMatch(where);
    expect(result.errors.length).toBeLessThanOrEqual(10);
  });
});
