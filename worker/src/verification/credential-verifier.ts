import { recipientHash } from "../badges/recipient";
import type { AppContext } from "../context";
import { type DataIntegrityProof, publicKeyFromMultikey, readProof, verifyDocument } from "./data-integrity";
import { didWebDocumentUrl } from "./did-web";
import { checkOb3Schema } from "./schema-check";
import { bitIsSet } from "./status-list";
import type { Check, CheckStatus, DocumentFetcher, Verification } from "./verifier";

// Verifies an Open Badges 3.0 credential: its Data Integrity proof against the issuer's DID
// document, the issuer, the recipient, its status list, its validity period and its schema.

type Json = Record<string, any>;

/** True for a Verifiable Credential (VC 2.0 or 1.1) rather than an OB 2.0 assertion. */
export function isCredential(document: Json | null): boolean {
  const contexts = [document?.["@context"]].flat();
  return contexts.includes("https://www.w3.org/ns/credentials/v2") || contexts.includes("https://www.w3.org/2018/credentials/v1");
}

const idOf = (value: unknown) =>
  typeof value === "string" ? value : value && typeof value === "object" ? String((value as Json).id ?? "") : "";

/**
 * Resolves the proof's verification method to a public key, checking the issuer controls it:
 * did:key carries its key in the DID itself; did:web is fetched (Laurel's own in-process).
 */
async function proofKey(proof: DataIntegrityProof, issuerId: string, fetchDocument: DocumentFetcher): Promise<CryptoKey | string> {
  const did = proof.verificationMethod.split("#")[0] ?? "";
  if (did !== issuerId) return "The proof was made with a key the issuer does not control.";
  let multibase: unknown;
  if (did.startsWith("did:key:")) {
    const key = did.slice("did:key:".length);
    if (proof.verificationMethod !== `${did}#${key}`) return "The did:key verification method is malformed.";
    multibase = key;
  } else {
    const didUrl = didWebDocumentUrl(proof.verificationMethod);
    if (!didUrl) return `Only did:web and did:key issuers can be checked; the proof names ${proof.verificationMethod}.`;
    const fetched = await fetchDocument(didUrl).catch(() => null);
    if (fetched?.status !== 200 || !fetched.body) return `Could not resolve ${did}.`;
    const methods: Json[] = [fetched.body.verificationMethod ?? []].flat();
    const method = methods.find((m) => m.id === proof.verificationMethod);
    const asserts = [fetched.body.assertionMethod ?? []].flat().map(idOf).includes(proof.verificationMethod);
    if (!method || !asserts || fetched.body.id !== did) return "The issuer's DID document does not list this key for assertions.";
    multibase = method.publicKeyMultibase;
  }
  const key = typeof multibase === "string" ? await publicKeyFromMultikey(multibase) : null;
  return key ?? "The key is not an Ed25519 Multikey.";
}

/** Checks a signed document's proof; a string says why it does not hold. */
async function checkProof(document: Json, issuerId: string, fetchDocument: DocumentFetcher): Promise<true | string> {
  const read = readProof(document);
  if (!read.ok) return read.reason;
  const key = await proofKey(read.proof, issuerId, fetchDocument);
  if (typeof key === "string") return key;
  try {
    return (await verifyDocument(document, read.proof, key))
      ? true
      : "The signature does not match: the credential was changed after signing.";
  } catch (error) {
    return `The credential could not be canonicalized: ${error instanceof Error ? error.message : "unknown error"}.`;
  }
}

/** Reads the credential's revocation bit from its signed status list; a string says why it could not. */
async function revocationStatus(credential: Json, issuerId: string, fetchDocument: DocumentFetcher): Promise<boolean | string | null> {
  const entry = [credential.credentialStatus ?? []]
    .flat()
    .find((s: Json) => s?.type === "BitstringStatusListEntry" && s.statusPurpose === "revocation");
  if (!entry) return null;
  const list = await fetchDocument(String(entry.statusListCredential)).catch(() => null);
  if (list?.status !== 200 || !list.body) return "The status list could not be fetched.";
  if (idOf(list.body.issuer) !== issuerId) return "The status list was not issued by the credential's issuer.";
  const proof = await checkProof(list.body, issuerId, fetchDocument);
  if (proof !== true) return `The status list's proof does not hold: ${proof}`;
  const bit = await bitIsSet(String(list.body.credentialSubject?.encodedList ?? ""), Number(entry.statusListIndex));
  return bit ?? "The status list could not be read.";
}

export async function verifyCredential(
  ctx: Pick<AppContext, "now">,
  credential: Json,
  email: string | null,
  fetchDocument: DocumentFetcher,
): Promise<Verification> {
  const checks: Check[] = [];
  const add = (id: Check["id"], label: string, status: CheckStatus, message: string) => checks.push({ id, label, status, message });
  const issuerId = idOf(credential.issuer);
  const achievement: Json = credential.credentialSubject?.achievement ?? {};
  // The issuer's DID document backs both the credential's proof and its status list's: fetch it once.
  const fetched = new Map<string, ReturnType<DocumentFetcher>>();
  const fetchOnce: DocumentFetcher = (url) => {
    if (!fetched.has(url)) fetched.set(url, fetchDocument(url));
    return fetched.get(url)!;
  };

  const proof = await checkProof(credential, issuerId, fetchOnce);
  add(
    "signature",
    "Signed by the issuer",
    proof === true ? "passed" : "failed",
    proof === true ? "The eddsa-rdfc-2022 proof holds." : proof,
  );

  const issuerName = typeof credential.issuer === "object" ? credential.issuer?.name : null;
  if (!issuerId) add("issuer", "Issuer", "failed", "The credential names no issuer.");
  else add("issuer", "Issuer", proof === true ? "passed" : "failed", `Issued by ${issuerName ?? issuerId} (${issuerId}).`);

  const identities: Json[] = [credential.credentialSubject?.identifier ?? []].flat();
  const normalized = email?.trim().toLowerCase();
  if (!normalized) add("recipient", "Recipient", "skipped", "Give the earner's email to check it is theirs.");
  else {
    const emailIdentities = identities.filter((i) => i?.identityType === "emailAddress");
    let matches = false;
    for (const identity of emailIdentities) {
      const hash = String(identity.identityHash ?? "");
      if (identity.hashed ? hash === (await recipientHash(normalized, String(identity.salt ?? ""))) : hash.toLowerCase() === normalized)
        matches = true;
    }
    add("recipient", "Recipient", matches ? "passed" : "failed", matches ? `Awarded to ${normalized}.` : `Not awarded to ${normalized}.`);
  }

  const revoked = await revocationStatus(credential, issuerId, fetchOnce);
  if (revoked === null) add("revocation", "Not revoked", "skipped", "The credential has no revocation status list.");
  else if (typeof revoked === "string") add("revocation", "Not revoked", "failed", revoked);
  else
    add(
      "revocation",
      "Not revoked",
      revoked ? "failed" : "passed",
      revoked ? "The issuer has revoked it." : "The issuer still stands by it.",
    );

  const validFrom = credential.validFrom ? new Date(String(credential.validFrom)) : null;
  const validUntil = credential.validUntil ? new Date(String(credential.validUntil)) : null;
  if (validFrom && validFrom.getTime() > ctx.now())
    add("expiry", "Not expired", "failed", `Not valid before ${validFrom.toISOString().slice(0, 10)}.`);
  else if (validUntil && validUntil.getTime() <= ctx.now())
    add("expiry", "Not expired", "failed", `Expired on ${validUntil.toISOString().slice(0, 10)}.`);
  else add("expiry", "Not expired", "passed", validUntil ? `Valid until ${validUntil.toISOString().slice(0, 10)}.` : "Does not expire.");

  const schema = checkOb3Schema(credential);
  add(
    "schema",
    "Open Badges 3.0 schema",
    schema.valid ? "passed" : "failed",
    schema.valid ? "Valid against the Open Badges 3.0 credential schema." : schema.errors.join("; "),
  );

  return {
    valid: checks.every((c) => c.status !== "failed"),
    checks,
    badge: achievement.name
      ? {
          name: String(achievement.name),
          issuer: String(issuerName ?? issuerId),
          image: idOf(achievement.image) || idOf(credential.image) || null,
        }
      : null,
    assertion: {
      id: String(credential.id ?? ""),
      issuedOn: credential.validFrom ? String(credential.validFrom) : null,
      expires: credential.validUntil ? String(credential.validUntil) : null,
    },
  };
}
