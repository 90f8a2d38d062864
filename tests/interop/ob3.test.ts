import { DOMParser, type Element as XmlElement } from "@xmldom/xmldom";
import { beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, issuerWithBadgeClass } from "../support/api";
import { baseUrl, uniqueEmail } from "../support/browser";
import { errorsOf, type Json, ob3SchemaValidator, verify } from "./verifier";

const AWARD = `mutation ($badgeClassId: ID!, $input: AwardInput!) { awardBadge(badgeClassId: $badgeClassId, input: $input) { __typename ... on Award { id credentialUrl } ... on Error { message } } }`;
const REVOKE = `mutation ($awardId: ID!, $reason: String!) { revokeAward(awardId: $awardId, reason: $reason) { __typename } }`;

describe("Open Badges 3.0 credentials, checked by independent libraries", () => {
  let client: ApiClient;
  let credential: Json;
  let awardId: string;

  beforeAll(async () => {
    const issuer = await issuerWithBadgeClass("interop");
    client = issuer.client;
    const { awardBadge } = await client.gql(AWARD, {
      badgeClassId: issuer.badgeClassId,
      input: {
        email: uniqueEmail("interop-earner"),
        narrative: "Verified by a library we did not write.",
        evidence: [{ url: "https://evidence.example.org/42" }],
      },
    });
    awardId = awardBadge.id;
    credential = (await (await fetch(awardBadge.credentialUrl, { headers: { accept: "application/json" } })).json()) as Json;
  });

  it("verifies with @digitalbazaar/vc, data-integrity and the eddsa-rdfc-2022 cryptosuite, status included", async () => {
    const result = await verify(credential);
    expect(result.verified, errorsOf(result)).toBe(true);
    expect(result.statusResult).toMatchObject({ verified: true });
    expect(result.statusResult.results[0].status).toBe(false);
  });

  it.each<[string, (c: Json) => void]>([
    ["the achievement's name", (c) => (c.credentialSubject.achievement.name = "Grand Master")],
    ["validFrom", (c) => (c.validFrom = "2001-01-01T00:00:00Z")],
    ["the issuer's name", (c) => (c.issuer.name = "Someone Else")],
    ["the recipient's hash", (c) => (c.credentialSubject.identifier[0].identityHash = `sha256$${"0".repeat(64)}`)],
    ["the proof value", (c) => (c.proof.proofValue = `${c.proof.proofValue.slice(0, -1)}${c.proof.proofValue.endsWith("1") ? "2" : "1"}`)],
  ])("fails when %s is tampered with", async (_field, tamper) => {
    const tampered = structuredClone(credential);
    tamper(tampered);
    expect((await verify(tampered)).verified).toBe(false);
  });

  it("is valid against the Open Badges 3.0 JSON schema, checked by Ajv", () => {
    const validate = ob3SchemaValidator();
    expect(validate(credential), JSON.stringify(validate.errors)).toBe(true);
    const { validFrom: _dropped, ...undated } = credential;
    expect(validate(undated)).toBe(false);
  });

  it("bakes the credential into the SVG in the OB 3.0 namespace, after the OB 2.0 assertion; read by xmldom, it verifies", async () => {
    const svg = await (await fetch(`${baseUrl()}/public/assertions/${awardId}/image`)).text();
    const root = new DOMParser().parseFromString(svg, "image/svg+xml").documentElement!;
    const elements = Array.from(root.childNodes).filter((n) => n.nodeType === 1) as unknown as XmlElement[];
    expect(elements[0]).toMatchObject({ namespaceURI: "http://openbadges.org", localName: "assertion" });
    expect(elements[0]).toBe(root.firstChild);
    expect(elements[1]).toMatchObject({ namespaceURI: "https://purl.imsglobal.org/ob/v3p0", localName: "credential" });
    const [baked] = Array.from(root.getElementsByTagNameNS("https://purl.imsglobal.org/ob/v3p0", "credential"));
    const bakedCredential = JSON.parse(baked!.textContent!) as Json;
    expect(bakedCredential).toEqual(credential);
    const result = await verify(bakedCredential);
    expect(result.verified, errorsOf(result)).toBe(true);
  });

  it("shows a revocation in the status list and the 1EdTech revocation list", async () => {
    await client.gql(REVOKE, { awardId, reason: "Awarded to the wrong cohort" });
    // The proof still holds (the credential is authentic); its status bit now says revoked.
    const result = await verify(credential);
    expect(result.statusResult, errorsOf(result)).toMatchObject({ verified: true });
    expect(result.statusResult.results[0].status).toBe(true);

    const revocationEntry = credential.credentialStatus.find((s: Json) => s.type === "1EdTechRevocationList");
    const list = (await (await fetch(revocationEntry.id)).json()) as Json;
    expect(list.revokedCredentials).toContainEqual({ id: credential.id, revoked: true, revocationReason: "Awarded to the wrong cohort" });
  });
});
