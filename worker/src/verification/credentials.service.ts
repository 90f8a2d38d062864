import { getAward } from "../badges/awards.service";
import type { Award } from "../badges/awards.table";
import { getBadgeClass } from "../badges/badge-classes.service";
import { getIssuer } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { signDocument } from "./data-integrity";
import { didDocument } from "./did-web";
import { ensureSigningKey, listIssuerKeys, signingKeyFor } from "./issuer-keys.service";
import { revocationReasonOf } from "./ob2";
import { credentialUrls, openBadgeCredential } from "./ob3";
import { revokedPositions, statusIndexFor, statusListCredential } from "./status-list";

type Ctx = Pick<AppContext, "db" | "config" | "now">;

/** What a credential URL answers: the signed credential, or why there is none. */
export type CredentialAnswer =
  | { kind: "credential"; credential: Awaited<ReturnType<typeof signCredential>> }
  | { kind: "revoked"; document: { id: string; revoked: true; revocationReason: string } };

async function signCredential(ctx: Ctx, award: Award) {
  const [badgeClass, issuer] = await Promise.all([getBadgeClass(ctx, award.badgeClassId), getIssuer(ctx, award.issuerId)]);
  if (!badgeClass || !issuer) throw new Error(`Award ${award.id} has lost its badge class or issuer`);
  const statusIndex = await statusIndexFor(ctx, award);
  const key = await signingKeyFor(ctx, issuer.id);
  const unsigned = openBadgeCredential(ctx.config.appUrl, { ...award, statusIndex }, badgeClass, issuer);
  return signDocument(unsigned, { ...key, created: new Date(ctx.now()) });
}

/**
 * The award as a signed OpenBadgeCredential, signed when asked for (then cached at the edge):
 * signing ten thousand credentials inside a bulk award would not fit in one request.
 */
export async function getCredential(ctx: Ctx, awardId: string): Promise<CredentialAnswer | null> {
  const award = await getAward(ctx, awardId);
  if (!award) return null;
  if (award.revokedAt) {
    return {
      kind: "revoked",
      document: {
        id: credentialUrls(ctx.config.appUrl).credential(award.id),
        revoked: true,
        revocationReason: revocationReasonOf(award.revocationReason),
      },
    };
  }
  return { kind: "credential", credential: await signCredential(ctx, award) };
}

/** The signed status list credential; null for an unknown issuer. */
export async function getStatusListCredential(ctx: Ctx, issuerId: string, list: number) {
  const issuer = await getIssuer(ctx, issuerId);
  if (!issuer) return null;
  const revoked = await revokedPositions(ctx, issuerId, list);
  const [unsigned, key] = await Promise.all([
    statusListCredential(ctx.config.appUrl, issuerId, list, revoked, ctx.now()),
    signingKeyFor(ctx, issuerId),
  ]);
  return signDocument(unsigned, { ...key, created: new Date(ctx.now()) });
}

/** The issuer's DID document, with a signing key made first if it has none yet. */
export async function getIssuerDidDocument(ctx: Ctx, issuerId: string) {
  const issuer = await getIssuer(ctx, issuerId);
  if (!issuer) return null;
  await ensureSigningKey(ctx, issuerId);
  return didDocument(ctx.config.appUrl, issuer, await listIssuerKeys(ctx, issuerId));
}
