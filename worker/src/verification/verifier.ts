import { recipientHash } from "../badges/recipient";
import type { AppContext } from "../context";
import { BakingError, isPng, unbakePng, unbakeSvg } from "./baking";
import { isCredential, verifyCredential } from "./credential-verifier";

export type CheckStatus = "passed" | "failed" | "skipped";
export interface Check {
  id: "format" | "hosting" | "signature" | "issuer" | "recipient" | "revocation" | "expiry" | "schema";
  label: string;
  status: CheckStatus;
  message: string;
}

export interface Verification {
  valid: boolean;
  checks: Check[];
  badge: { name: string; issuer: string; image: string | null } | null;
  assertion: { id: string; issuedOn: string | null; expires: string | null } | null;
}

export interface VerifyInput {
  url?: string | null;
  json?: string | null;
  image?: Uint8Array | null;
  email?: string | null;
}

type Fetched = { status: number; body: Record<string, any> | null };

/** Fetches an Open Badges document. Laurel's own go through its own handler; others over the network when configured. */
export type DocumentFetcher = (url: string) => Promise<Fetched>;

export class VerifyInputError extends Error {
  override name = "VerifyInputError";
}

/** Whatever was given, as the claimed assertion: a parsed object, or the URL to fetch it from. */
export function extractClaim(input: VerifyInput): { json: Record<string, any> | null; url: string | null } {
  let text: string | null = null;
  if (input.image && input.image.length > 0) {
    try {
      // An OB 3.0 credential, when baked in too, is preferred: its proof stands on its own.
      if (isPng(input.image)) text = unbakePng(input.image, "openbadgecredential") ?? unbakePng(input.image);
      else {
        const baked = unbakeSvg(new TextDecoder().decode(input.image));
        text = baked.credential ?? baked.assertion;
      }
    } catch (error) {
      throw new VerifyInputError(error instanceof BakingError ? error.message : "The image could not be read.");
    }
    if (!text) throw new VerifyInputError("This image has no badge baked into it.");
  } else if (input.json?.trim()) text = input.json.trim();
  else if (input.url?.trim()) text = input.url.trim();
  if (!text) throw new VerifyInputError("Give a badge URL, its JSON, or a baked badge image.");
  if (text.startsWith("{")) {
    try {
      return { json: JSON.parse(text), url: null };
    } catch {
      throw new VerifyInputError("That JSON is not well-formed.");
    }
  }
  try {
    const url = new URL(text);
    if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error();
    return { json: null, url: url.toString() };
  } catch {
    throw new VerifyInputError("That is neither a web address nor JSON.");
  }
}

const idOf = (value: unknown) =>
  typeof value === "string" ? value : typeof value === "object" && value && "id" in value ? String((value as { id: unknown }).id) : null;

/**
 * Verifies an Open Badges 2.0 hosted assertion step by step: well-formed, hosted where it says
 * (the hosted copy is the authority, whatever a baked copy claims), issuer, recipient, not
 * revoked, not expired.
 */
async function verifyAssertion(
  ctx: Pick<AppContext, "now">,
  claim: ReturnType<typeof extractClaim>,
  input: VerifyInput,
  fetchDocument: DocumentFetcher,
): Promise<Verification> {
  const checks: Check[] = [];
  const add = (id: Check["id"], label: string, status: CheckStatus, message: string) => checks.push({ id, label, status, message });
  const claimedId = claim.url ?? idOf(claim.json?.id);
  let assertion: Record<string, any> | null = null;
  let revoked: Record<string, any> | null = null;

  if (!claimedId) add("hosting", "Hosted by the issuer", "failed", "The assertion has no id to check it against.");
  else {
    const hosted = await fetchDocument(claimedId).catch(() => ({ status: 0, body: null }) as Fetched);
    if (hosted.status === 410) {
      revoked = hosted.body ?? {};
      add("hosting", "Hosted by the issuer", "passed", `Found at ${claimedId}.`);
    } else if (hosted.status === 200 && hosted.body && idOf(hosted.body.id) === claimedId) {
      assertion = hosted.body;
      add("hosting", "Hosted by the issuer", "passed", `Found at ${claimedId}.`);
    } else {
      add(
        "hosting",
        "Hosted by the issuer",
        "failed",
        hosted.status === 0 ? `Could not reach ${claimedId}.` : `${claimedId} does not serve this assertion (HTTP ${hosted.status}).`,
      );
    }
  }

  const doc = assertion ?? (revoked ? null : claim.json);
  const required = ["@context", "type", "id", "recipient", "badge", "verification", "issuedOn"];
  const missing = doc ? required.filter((key) => doc[key] === undefined) : required;
  if (revoked) add("format", "Well-formed Open Badges 2.0", "skipped", "The issuer serves only the revocation now.");
  else if (doc && missing.length === 0 && [doc.type].flat().includes("Assertion"))
    add("format", "Well-formed Open Badges 2.0", "passed", "All required fields are present.");
  else add("format", "Well-formed Open Badges 2.0", "failed", `Missing or wrong: ${missing.join(", ") || "type"}.`);

  let badge: Verification["badge"] = null;
  const badgeUrl = idOf(doc?.badge);
  if (doc && badgeUrl) {
    const badgeClass =
      typeof doc.badge === "object"
        ? { status: 200, body: doc.badge }
        : await fetchDocument(badgeUrl).catch(() => ({ status: 0, body: null }) as Fetched);
    const issuerUrl = idOf(badgeClass.body?.issuer);
    const issuer =
      typeof badgeClass.body?.issuer === "object"
        ? { status: 200, body: badgeClass.body.issuer }
        : issuerUrl
          ? await fetchDocument(issuerUrl).catch(() => ({ status: 0, body: null }) as Fetched)
          : null;
    if (badgeClass.status === 200 && issuer?.status === 200 && issuer.body?.name) {
      badge = { name: String(badgeClass.body?.name ?? ""), issuer: String(issuer.body.name), image: idOf(badgeClass.body?.image) };
      add("issuer", "Issuer", "passed", `Issued by ${issuer.body.name}.`);
    } else add("issuer", "Issuer", "failed", "The badge class or its issuer could not be found.");
  } else
    add(
      "issuer",
      "Issuer",
      revoked ? "skipped" : "failed",
      revoked ? "Revoked: the issuer no longer describes it." : "The assertion names no badge class.",
    );

  const email = input.email?.trim().toLowerCase();
  const recipient = doc?.recipient;
  if (!email) add("recipient", "Recipient", "skipped", "Give the earner's email to check it is theirs.");
  else if (!recipient?.identity) add("recipient", "Recipient", "failed", "The assertion has no recipient.");
  else {
    const identity = String(recipient.identity);
    const matches = recipient.hashed
      ? identity.startsWith("sha256$") && identity === (await recipientHash(email, String(recipient.salt ?? "")))
      : identity.toLowerCase() === email;
    add("recipient", "Recipient", matches ? "passed" : "failed", matches ? `Awarded to ${email}.` : `Not awarded to ${email}.`);
  }

  if (revoked) add("revocation", "Not revoked", "failed", `Revoked: ${revoked.revocationReason ?? "no reason given"}.`);
  else if (doc?.revoked === true) add("revocation", "Not revoked", "failed", "The assertion says it is revoked.");
  else
    add(
      "revocation",
      "Not revoked",
      assertion ? "passed" : "skipped",
      assertion ? "The issuer still stands by it." : "Not checked: the hosted copy was not found.",
    );

  const expires = doc?.expires ? new Date(String(doc.expires)) : null;
  if (!doc) add("expiry", "Not expired", "skipped", "Not checked.");
  else if (expires && expires.getTime() <= ctx.now())
    add("expiry", "Not expired", "failed", `Expired on ${expires.toISOString().slice(0, 10)}.`);
  else add("expiry", "Not expired", "passed", expires ? `Valid until ${expires.toISOString().slice(0, 10)}.` : "Does not expire.");

  return {
    valid: checks.every((c) => c.status !== "failed"),
    checks,
    badge,
    assertion: doc
      ? { id: String(doc.id), issuedOn: doc.issuedOn ? String(doc.issuedOn) : null, expires: doc.expires ? String(doc.expires) : null }
      : claimedId
        ? { id: claimedId, issuedOn: null, expires: null }
        : null,
  };
}

/** Verifies whatever was given: an OB 3.0 credential by its proof, an OB 2.0 assertion by its hosting. */
export async function verifyBadge(ctx: Pick<AppContext, "now">, input: VerifyInput, fetchDocument: DocumentFetcher): Promise<Verification> {
  const claim = extractClaim(input);
  if (claim.json && isCredential(claim.json)) return verifyCredential(ctx, claim.json, input.email ?? null, fetchDocument);
  if (claim.url) {
    const fetched = await fetchDocument(claim.url).catch(() => null);
    if (fetched?.status === 200 && fetched.body && isCredential(fetched.body)) {
      return verifyCredential(ctx, fetched.body, input.email ?? null, fetchDocument);
    }
  }
  return verifyAssertion(ctx, claim, input, fetchDocument);
}
