import { inArray } from "drizzle-orm";
import type { AwardEventPayload } from "../badges/award-events";
import { getAward } from "../badges/awards.service";
import type { Award } from "../badges/awards.table";
import { getBadgeClass } from "../badges/badge-classes.service";
import { getIssuer } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { publicUrls } from "../lib/public-urls";
import type { OutboxEvent } from "../outbox/deliver";
import { signDocument } from "./data-integrity";
import { didDocument } from "./did-web";
import { ensureSigningKey, listIssuerKeys, signingKeyFor } from "./issuer-keys.service";
import { revocationReasonOf } from "./ob2";
import { openBadgeCredential } from "./ob3";
import { signedCredentials } from "./signed-credentials.table";
import { revokedPositions, statusIndexFor, statusListCredential } from "./status-list";

type Ctx = Pick<AppContext, "db" | "config" | "now">;

type SignedCredential = Awaited<ReturnType<typeof signDocument>>;

/** What a credential URL answers: the signed credential, or why there is none. */
export type CredentialAnswer =
  | { kind: "credential"; credential: SignedCredential }
  | { kind: "revoked"; document: { id: string; revoked: true; revocationReason: string } };

async function signCredential(ctx: Ctx, award: Award): Promise<SignedCredential> {
  const [badgeClass, issuer] = await Promise.all([getBadgeClass(ctx, award.badgeClassId), getIssuer(ctx, award.issuerId)]);
  if (!badgeClass || !issuer) throw new Error(`Award ${award.id} has lost its badge class or issuer`);
  const statusIndex = await statusIndexFor(ctx, award);
  const key = await signingKeyFor(ctx, issuer.id);
  const unsigned = openBadgeCredential(ctx.config.appUrl, { ...award, statusIndex }, badgeClass, issuer);
  // `created` comes from the award, not the clock: Ed25519 is deterministic, so two signings
  // of one award with one key give the same bytes (and ETag) wherever they happen.
  return signDocument(unsigned, { ...key, created: award.createdAt });
}

/**
 * The award's credential as first signed, signing it now if nobody has yet. Concurrent first
 * signings each insert-or-ignore, then all serve the row that landed.
 */
async function storedCredential(ctx: Ctx, award: Award): Promise<SignedCredential> {
  const stored = await ctx.db.query.signedCredentials.findFirst({ where: (t, { eq }) => eq(t.awardId, award.id) });
  if (stored) return JSON.parse(stored.document);
  const signed = await signCredential(ctx, award);
  const [landed] = await ctx.db
    .insert(signedCredentials)
    .values({ awardId: award.id, document: JSON.stringify(signed), signedAt: new Date(ctx.now()) })
    .onConflictDoUpdate({ target: signedCredentials.awardId, set: { awardId: award.id } })
    .returning({ document: signedCredentials.document });
  return landed ? JSON.parse(landed.document) : signed;
}

/**
 * Signs, ahead of any reader, the credentials of awards that have none yet: run in the
 * background after awards are made, so a public read is a cache or D1 hit.
 */
export async function signPendingCredentials(ctx: Ctx, awardIds: string[]): Promise<number> {
  if (awardIds.length === 0) return 0;
  const done = new Set(
    (
      await ctx.db.select({ id: signedCredentials.awardId }).from(signedCredentials).where(inArray(signedCredentials.awardId, awardIds))
    ).map((r) => r.id),
  );
  let signed = 0;
  for (const id of awardIds) {
    if (done.has(id)) continue;
    const award = await getAward(ctx, id);
    if (!award || award.revokedAt) continue;
    await storedCredential(ctx, award);
    signed++;
  }
  return signed;
}

/**
 * The award as a signed OpenBadgeCredential: normally signed in the background right after the
 * award; a read that comes first signs it (once, see storedCredential). Cached at the edge.
 */
export async function getCredential(ctx: Ctx, awardId: string): Promise<CredentialAnswer | null> {
  const award = await getAward(ctx, awardId);
  if (!award) return null;
  if (award.revokedAt) {
    return {
      kind: "revoked",
      document: {
        id: publicUrls(ctx.config.appUrl).credential(award.id),
        revoked: true,
        revocationReason: revocationReasonOf(award.revocationReason),
      },
    };
  }
  return { kind: "credential", credential: await storedCredential(ctx, award) };
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

/**
 * Outbox handler of `award.created`: signs the new award's credential in the background, so
 * its first public read is a D1 hit. Idempotent: a credential already stored is left alone.
 */
export async function signAwardCredential(ctx: Ctx, event: OutboxEvent): Promise<void> {
  await signPendingCredentials(ctx, [(event.payload as AwardEventPayload).awardId]);
}
