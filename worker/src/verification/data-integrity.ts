import { isoSeconds } from "../lib/time";
import { canonize } from "./json-ld";
import { base58btcDecode, base58btcEncode, rawEd25519FromMultikey } from "./multibase";

// Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C VC Data Integrity EdDSA
// Cryptosuites v1.0, section 3.2): Ed25519 over SHA-256(canonical proof options) followed by
// SHA-256(canonical document). Ed25519 is WebCrypto's, in Workers and in Node alike.
export const CRYPTOSUITE = "eddsa-rdfc-2022" as const;

export interface DataIntegrityProof {
  type: "DataIntegrityProof";
  cryptosuite: typeof CRYPTOSUITE;
  created: string;
  verificationMethod: string;
  proofPurpose: "assertionMethod";
  proofValue: string;
}

type Document = Record<string, unknown> & { "@context": unknown };

async function sha256(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

async function hashData(unsecured: Document, options: Omit<DataIntegrityProof, "proofValue">): Promise<Uint8Array<ArrayBuffer>> {
  // The proof options are canonicalized with the document's own contexts.
  const [proofHash, documentHash] = await Promise.all([
    canonize({ ...options, "@context": unsecured["@context"] }).then(sha256),
    canonize(unsecured).then(sha256),
  ]);
  const data = new Uint8Array(proofHash.length + documentHash.length);
  data.set(proofHash);
  data.set(documentHash, proofHash.length);
  return data;
}

export async function signDocument<T extends Document>(
  unsecured: T,
  signer: { privateKey: CryptoKey; verificationMethod: string; created: Date },
): Promise<T & { proof: DataIntegrityProof }> {
  const options = {
    type: "DataIntegrityProof" as const,
    cryptosuite: CRYPTOSUITE,
    created: isoSeconds(signer.created),
    verificationMethod: signer.verificationMethod,
    proofPurpose: "assertionMethod" as const,
  };
  const signature = await crypto.subtle.sign("Ed25519", signer.privateKey, await hashData(unsecured, options));
  return { ...unsecured, proof: { ...options, proofValue: `z${base58btcEncode(new Uint8Array(signature))}` } };
}

export type ProofCheck = { ok: true; proof: DataIntegrityProof } | { ok: false; reason: string; proof?: Partial<DataIntegrityProof> };

/** Reads the one eddsa-rdfc-2022 proof of a secured document, without checking it yet. */
export function readProof(secured: Record<string, unknown>): ProofCheck {
  const proofs = Array.isArray(secured.proof) ? secured.proof : secured.proof ? [secured.proof] : [];
  const proof = proofs.find((p) => (p as Partial<DataIntegrityProof>)?.cryptosuite === CRYPTOSUITE) as
    | Partial<DataIntegrityProof>
    | undefined;
  if (!proof) return { ok: false, reason: "The credential has no eddsa-rdfc-2022 Data Integrity proof." };
  if (proof.type !== "DataIntegrityProof") return { ok: false, reason: "The proof is not a DataIntegrityProof.", proof };
  if (proof.proofPurpose !== "assertionMethod") return { ok: false, reason: "The proof's purpose is not assertionMethod.", proof };
  if (typeof proof.verificationMethod !== "string" || typeof proof.proofValue !== "string" || typeof proof.created !== "string") {
    return { ok: false, reason: "The proof lacks its verification method, value or creation date.", proof };
  }
  return { ok: true, proof: proof as DataIntegrityProof };
}

/** True when the proof was made over exactly this document by the holder of the key. */
export async function verifyDocument(secured: Record<string, unknown>, proof: DataIntegrityProof, publicKey: CryptoKey): Promise<boolean> {
  const { proof: _all, ...unsecured } = secured;
  const { proofValue, ...options } = proof;
  if (!proofValue.startsWith("z")) return false;
  const signature = base58btcDecode(proofValue.slice(1));
  if (signature?.length !== 64) return false;
  const data = await hashData(unsecured as Document, options);
  return crypto.subtle.verify("Ed25519", publicKey, signature, data);
}

/** The verifying key of an Ed25519 Multikey (`z6Mk…`), or null when it is something else. */
export async function publicKeyFromMultikey(multibase: string): Promise<CryptoKey | null> {
  const raw = rawEd25519FromMultikey(multibase);
  return raw ? crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]) : null;
}
