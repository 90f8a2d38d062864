import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { awarded, REVOKE } from "../../test/badges";
import { TestClient } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { consume } from "../../test/outbox";
import { recipientHash } from "../badges/recipient";
import { backgroundContext } from "../context";
import { isoSeconds } from "../lib/time";
import { signPendingCredentials } from "./credentials.service";
import { publicKeyFromMultikey, readProof, verifyDocument } from "./data-integrity";
import { didWebDocumentUrl } from "./did-web";
import { activeSigningKey, KEY_PUBLISH_DELAY_MS } from "./issuer-keys.service";

const APP = "http://127.0.0.1:8787";
const HOST_DID = "did:web:127.0.0.1%3A8787:public:issuers:";
const ROTATE = `mutation ($issuerId: ID!) { rotateIssuerSigningKey(issuerId: $issuerId) { __typename ... on Error { message } ... on IssuerSigningKey { number verificationMethod } } }`;

type Json = Record<string, any>;
const fetchJson = async (path: string) => {
  const response = await new TestClient().request(path.replace(APP, ""), { headers: { accept: "application/json" } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
};

/** Checks the proof with our own code against the key the issuer's DID document publishes. */
async function proofHolds(document: Json): Promise<boolean> {
  const read = readProof(document);
  if (!read.ok) return false;
  const didUrl = didWebDocumentUrl(read.proof.verificationMethod);
  if (!didUrl) return false;
  const did = (await fetchJson(didUrl)).body;
  const method = did.verificationMethod.find((m: Json) => m.id === read.proof.verificationMethod);
  if (!method || !did.assertionMethod.includes(method.id)) return false;
  const key = await publicKeyFromMultikey(method.publicKeyMultibase);
  return key ? verifyDocument(document, read.proof, key) : false;
}

/** The revocation bit of an entry, read from the status list credential it points to. */
async function revokedBit(entry: Json): Promise<boolean> {
  const list = (await fetchJson(entry.statusListCredential)).body;
  expect(await proofHolds(list)).toBe(true);
  const encoded: string = list.credentialSubject.encodedList;
  const gzipped = Uint8Array.from(atob(encoded.slice(1).replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));
  const bits = new Uint8Array(await new Response(new Blob([gzipped]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  expect(bits.length).toBe(131_072 / 8);
  const index = Number(entry.statusListIndex);
  return ((bits[index >> 3] as number) & (0x80 >> (index & 7))) !== 0;
}

describe("Open Badges 3.0 credentials", () => {
  it("serves every award as an OpenBadgeCredential signed with eddsa-rdfc-2022 by the issuer's did:web key", async () => {
    const { issuer, badgeClass, award, email } = await awarded();
    const { status, headers, body: credential } = await fetchJson(`/public/credentials/${award.id}`);
    expect(status).toBe(200);
    expect(headers.get("access-control-allow-origin")).toBe("*");
    expect(credential).toMatchObject({
      "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
      ],
      id: `${APP}/public/credentials/${award.id}`,
      type: ["VerifiableCredential", "OpenBadgeCredential"],
      issuer: { id: `${HOST_DID}${issuer.id}`, type: ["Profile"], name: "Northwind Teachers College" },
      validFrom: "2026-11-02T00:00:00Z",
      validUntil: "2027-11-02T00:00:00Z",
      credentialSubject: {
        type: ["AchievementSubject"],
        achievement: { id: `${APP}/public/badges/${badgeClass.id}`, type: ["Achievement"], name: "Formative Assessment" },
        narrative: "Ran the workshop.",
      },
      evidence: [{ id: "https://evidence.example.org/1", type: ["Evidence"], narrative: "Plan" }],
      proof: { type: "DataIntegrityProof", cryptosuite: "eddsa-rdfc-2022", proofPurpose: "assertionMethod" },
    });
    const [identity] = credential.credentialSubject.identifier;
    expect(identity).toMatchObject({ type: "IdentityObject", hashed: true, identityType: "emailAddress" });
    expect(identity.identityHash).toBe(await recipientHash(email, identity.salt));
    expect(JSON.stringify(credential)).not.toContain(email);
    expect(await proofHolds(credential)).toBe(true);

    const tampered = structuredClone(credential);
    tampered.credentialSubject.achievement.name = "Advanced Assessment";
    expect(await proofHolds(tampered)).toBe(false);
    const backdated = { ...structuredClone(credential), validFrom: "2020-01-01T00:00:00Z" };
    expect(await proofHolds(backdated)).toBe(false);
  });

  it("publishes the issuer's DID document with its Multikey", async () => {
    const { issuer, award } = await awarded();
    await fetchJson(`/public/credentials/${award.id}`);
    const { status, headers, body } = await fetchJson(`/public/issuers/${issuer.id}/did.json`);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toContain("application/did+json");
    expect(body).toMatchObject({
      "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
      id: `${HOST_DID}${issuer.id}`,
      verificationMethod: [{ id: `${HOST_DID}${issuer.id}#key-1`, type: "Multikey", controller: `${HOST_DID}${issuer.id}` }],
      assertionMethod: [`${HOST_DID}${issuer.id}#key-1`],
    });
    expect(body.verificationMethod[0].publicKeyMultibase).toMatch(/^z6Mk/);
    expect((await fetchJson("/public/issuers/nope/did.json")).status).toBe(404);
  });

  it("serves one set of bytes to racing first reads, signed at the award's time, and keeps them", async () => {
    const { award } = await awarded();
    // Distinct query strings miss the edge cache, so every request reaches the signing path.
    const reads = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        new TestClient().request(`/public/credentials/${award.id}?race=${i}`, { headers: { accept: "application/json" } }),
      ),
    );
    expect(reads.map((r) => r.status)).toEqual(reads.map(() => 200));
    const bodies = await Promise.all(reads.map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(new Set(reads.map((r) => r.headers.get("etag"))).size).toBe(1);
    const credential = JSON.parse(bodies[0] as string);
    const row = await env.DB.prepare("select created_at from awards where id = ?").bind(award.id).first<{ created_at: number }>();
    expect(credential.proof.created).toBe(isoSeconds(new Date(row?.created_at ?? 0)));
    expect(await proofHolds(credential)).toBe(true);
    const stored = await env.DB.prepare("select document from signed_credentials where award_id = ?")
      .bind(award.id)
      .first<{ document: string }>();
    expect(JSON.parse(stored?.document ?? "null")).toEqual(credential);
  });

  it("signs in the background ahead of any reader, once", async () => {
    const { award } = await awarded();
    const ctx = backgroundContext(env, { waitUntil: () => undefined });
    expect(await signPendingCredentials(ctx, [award.id])).toBe(1);
    expect(await signPendingCredentials(ctx, [award.id])).toBe(0);
    const stored = await env.DB.prepare("select document from signed_credentials where award_id = ?")
      .bind(award.id)
      .first<{ document: string }>();
    const served = (await fetchJson(`/public/credentials/${award.id}?after-background`)).body;
    expect(served).toEqual(JSON.parse(stored?.document ?? "null"));
  });

  it("is signed by the award's outbox event, before anyone reads it", async () => {
    const { award } = await awarded();
    const event = await env.DB.prepare("select id from outbox_events where key = ?")
      .bind(`award.created:${award.id}`)
      .first<{ id: string }>();
    expect(event).not.toBeNull();
    await consume([event!.id]);
    const stored = await env.DB.prepare("select document from signed_credentials where award_id = ?")
      .bind(award.id)
      .first<{ document: string }>();
    expect(stored).not.toBeNull();
    expect(await proofHolds(JSON.parse(stored!.document))).toBe(true);
  });

  it("rotates keys without breaking credentials signed before", async () => {
    const { issuerClient, issuer, award } = await awarded();
    const before = (await fetchJson(`/public/credentials/${award.id}?v=1`)).body;
    expect(before.proof.verificationMethod).toBe(`${HOST_DID}${issuer.id}#key-1`);
    const rotated = (await issuerClient.gql(ROTATE, { issuerId: issuer.id })).rotateIssuerSigningKey;
    expect(rotated).toMatchObject({ __typename: "IssuerSigningKey", number: 2, verificationMethod: `${HOST_DID}${issuer.id}#key-2` });
    const stranger = new TestClient();
    await signInAs(stranger, await createUser());
    expect((await stranger.gql(ROTATE, { issuerId: issuer.id })).rotateIssuerSigningKey.__typename).not.toBe("IssuerSigningKey");

    const did = (await fetchJson(`/public/issuers/${issuer.id}/did.json?fresh`)).body;
    expect(did.assertionMethod).toEqual([`${HOST_DID}${issuer.id}#key-1`, `${HOST_DID}${issuer.id}#key-2`]);
    expect(await proofHolds(before)).toBe(true);
    // The new key is published before it signs, so caches of the DID document catch up first.
    const next = await awarded();
    await next.issuerClient.gql(ROTATE, { issuerId: next.issuer.id });
    const stillOld = (await fetchJson(`/public/credentials/${next.award.id}`)).body;
    expect(stillOld.proof.verificationMethod).toBe(`${HOST_DID}${next.issuer.id}#key-1`);
  });

  it("signs with a rotated key only once it has been published long enough", () => {
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1, 0, minutes));
    const keys = [
      { number: 1, createdAt: at(0) },
      { number: 2, createdAt: at(60) },
    ];
    expect(activeSigningKey(keys, at(61).getTime())?.number).toBe(1);
    expect(activeSigningKey(keys, at(60).getTime() + KEY_PUBLISH_DELAY_MS)?.number).toBe(2);
    expect(activeSigningKey([{ number: 1, createdAt: at(0) }], at(0).getTime())?.number).toBe(1);
  });

  it("makes revocation visible: 410 at the credential URL, the status list bit, the 1EdTech revocation list", async () => {
    const { issuerClient, issuer, award } = await awarded();
    const credential = (await fetchJson(`/public/credentials/${award.id}`)).body;
    const [bitstring, oneEdTech] = credential.credentialStatus;
    expect(bitstring).toMatchObject({ type: "BitstringStatusListEntry", statusPurpose: "revocation" });
    expect(bitstring.statusListCredential).toBe(`${APP}/public/status-lists/${issuer.id}/0`);
    expect(bitstring.id).toBe(`${bitstring.statusListCredential}#${bitstring.statusListIndex}`);
    expect(oneEdTech).toEqual({ id: `${APP}/public/revocation-lists/${issuer.id}`, type: "1EdTechRevocationList" });
    expect(await revokedBit(bitstring)).toBe(false);
    expect((await fetchJson(oneEdTech.id)).body.revokedCredentials).toEqual([]);

    await issuerClient.gql(REVOKE, { awardId: award.id, reason: "Issued in error" });

    expect(await revokedBit(bitstring)).toBe(true);
    const list = (await fetchJson(oneEdTech.id)).body;
    expect(list).toMatchObject({
      issuer: `${HOST_DID}${issuer.id}`,
      revokedCredentials: [{ id: credential.id, revoked: true, revocationReason: "Issued in error" }],
    });
    const gone = await fetchJson(`/public/credentials/${award.id}`);
    expect(gone.status).toBe(410);
    expect(gone.body).toEqual({ id: credential.id, revoked: true, revocationReason: "Issued in error" });
  });

  it("gives every award of an issuer its own random status index", async () => {
    const first = await awarded();
    const indexes = new Set<string>();
    for (const email of ["one@example.org", "two@example.org", "three@example.org"]) {
      const award = (
        await first.issuerClient.gql(
          `mutation ($badgeClassId: ID!, $input: AwardInput!) { awardBadge(badgeClassId: $badgeClassId, input: $input) { ... on Award { id } } }`,
          { badgeClassId: first.badgeClass.id, input: { email } },
        )
      ).awardBadge;
      const credential = (await fetchJson(`/public/credentials/${award.id}`)).body;
      indexes.add(credential.credentialStatus[0].statusListIndex);
    }
    expect(indexes.size).toBe(3);
  });

  it("answers 404 for unknown credentials, issuers and lists, and offers the credential as a download", async () => {
    expect((await fetchJson("/public/credentials/nope")).status).toBe(404);
    expect((await fetchJson("/public/status-lists/nope/0")).status).toBe(404);
    expect((await fetchJson("/public/revocation-lists/nope")).status).toBe(404);
    const { award } = await awarded();
    const download = await new TestClient().request(`/public/credentials/${award.id}?download`);
    expect(download.headers.get("content-disposition")).toBe(`attachment; filename="credential-${award.id}.json"`);
  });
});

describe("did:web resolution", () => {
  it("maps DIDs to https URLs, http only on loopback", () => {
    expect(didWebDocumentUrl("did:web:example.com")).toBe("https://example.com/.well-known/did.json");
    expect(didWebDocumentUrl("did:web:example.com:issuers:42#key-1")).toBe("https://example.com/issuers/42/did.json");
    expect(didWebDocumentUrl("did:web:localhost%3A8787:a")).toBe("http://localhost:8787/a/did.json");
    expect(didWebDocumentUrl("did:web:example.com:..:etc")).toBeNull();
    expect(didWebDocumentUrl("did:key:z6Mk")).toBeNull();
    expect(didWebDocumentUrl("did:web:exa%2Fmple.com")).toBeNull();
  });
});
