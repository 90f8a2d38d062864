import type { Issuer } from "../badges/issuers.table";
import { publicUrls } from "../lib/public-urls";
import type { IssuerSigningKey } from "./issuer-keys.table";

// Issuers are identified by did:web DIDs that Laurel itself hosts (https://w3c-ccg.github.io/did-method-web/):
// did:web:laurel.example:public:issuers:<id> resolves to https://laurel.example/public/issuers/<id>/did.json.
export const DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"];

export function issuerDid(appUrl: string, issuerId: string): string {
  const host = encodeURIComponent(new URL(appUrl).host);
  return `did:web:${host}:public:issuers:${encodeURIComponent(issuerId)}`;
}

export const verificationMethodId = (did: string, keyNumber: number) => `${did}#key-${keyNumber}`;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/;

/**
 * Where a did:web DID's document lives, or null when the DID is not did:web. https always,
 * except loopback hosts: local development and tests have no certificates.
 */
export function didWebDocumentUrl(didUrl: string): string | null {
  const did = didUrl.split("#")[0] ?? "";
  const match = /^did:web:([^:]+)((?::[^:]+)*)$/.exec(did);
  if (!match?.[1]) return null;
  const host = decodeURIComponent(match[1]);
  if (!/^[a-z0-9.-]+(:\d+)?$|^\[[0-9a-f:]+\](:\d+)?$/i.test(host)) return null;
  const path = match[2] ? match[2].slice(1).split(":").map(decodeURIComponent) : [".well-known"];
  if (path.some((segment) => !segment || segment === "." || segment === ".." || segment.includes("/"))) return null;
  const scheme = LOOPBACK.test(host) ? "http" : "https";
  return `${scheme}://${host}/${path.map(encodeURIComponent).join("/")}/did.json`;
}

/** Every key the issuer ever signed with stays listed, so old credentials keep verifying. */
export function didDocument(appUrl: string, issuer: Issuer, keys: IssuerSigningKey[]) {
  const did = issuerDid(appUrl, issuer.id);
  const methods = keys.map((key) => ({
    id: verificationMethodId(did, key.number),
    type: "Multikey",
    controller: did,
    publicKeyMultibase: key.publicKeyMultibase,
  }));
  return {
    "@context": DID_CONTEXTS,
    id: did,
    alsoKnownAs: [publicUrls(appUrl).issuer(issuer.id)],
    verificationMethod: methods,
    assertionMethod: methods.map((m) => m.id),
  };
}
