import { and, count, eq, gte, isNotNull, isNull, lt } from "drizzle-orm";
import { type Award, awards } from "../badges/awards.table";
import type { AppContext } from "../context";
import { base64ToBytes, bytesToBase64Url } from "../lib/crypto";
import { publicUrls } from "../lib/public-urls";
import { isoSeconds } from "../lib/time";
import { issuerDid } from "./did-web";
import { VC_V2_CONTEXT } from "./json-ld";
import { revocationReasonOf } from "./ob2";
import { STATUS_LIST_SIZE } from "./ob3";

// Bitstring Status List v1.0 (https://www.w3.org/TR/vc-bitstring-status-list/): one bit per
// credential, 1 = revoked, published as a signed credential that verifiers fetch.

/** Indexes are drawn at random in a list until this many are taken, then the next list opens. */
const LIST_FILL = 100_000;

/**
 * The award's position in its issuer's status lists, drawn on first use. Random, so neighbours
 * in a list reveal nothing about when or to whom badges went (the specification's herd privacy).
 */
export async function statusIndexFor(ctx: Pick<AppContext, "db">, award: Award): Promise<number> {
  if (award.statusIndex !== null) return award.statusIndex;
  for (let attempt = 0; attempt < 20; attempt++) {
    const [taken] = await ctx.db
      .select({ n: count() })
      .from(awards)
      .where(and(eq(awards.issuerId, award.issuerId), isNotNull(awards.statusIndex)));
    const list = Math.floor((taken?.n ?? 0) / LIST_FILL);
    const [random] = crypto.getRandomValues(new Uint32Array(1));
    const candidate = list * STATUS_LIST_SIZE + ((random ?? 0) % STATUS_LIST_SIZE);
    try {
      await ctx.db
        .update(awards)
        .set({ statusIndex: candidate })
        .where(and(eq(awards.id, award.id), isNull(awards.statusIndex)));
    } catch {
      continue; // Taken by another award of this issuer: draw again.
    }
    const row = await ctx.db.query.awards.findFirst({ where: eq(awards.id, award.id), columns: { statusIndex: true } });
    if (row?.statusIndex !== null && row?.statusIndex !== undefined) return row.statusIndex;
  }
  throw new Error(`Could not give award ${award.id} a status list index`);
}

/** The GZIP-compressed bitstring, multibase base64url (`u…`), bit 0 the first byte's highest. */
export async function encodeBitstring(setBits: number[], size = STATUS_LIST_SIZE): Promise<string> {
  const bytes = new Uint8Array(size / 8);
  for (const bit of setBits) bytes[bit >> 3] = (bytes[bit >> 3] as number) | (0x80 >> (bit & 7));
  const gzipped = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"))).arrayBuffer();
  return `u${bytesToBase64Url(new Uint8Array(gzipped))}`;
}

/** Whether bit `index` of an encoded list is set; null when the list or index cannot be read. */
export async function bitIsSet(encodedList: string, index: number): Promise<boolean | null> {
  if (!encodedList.startsWith("u") || !Number.isInteger(index) || index < 0) return null;
  try {
    const stream = new Blob([base64ToBytes(encodedList.slice(1))]).stream().pipeThrough(new DecompressionStream("gzip"));
    const bits = new Uint8Array(await new Response(stream).arrayBuffer());
    if (index >> 3 >= bits.length) return null;
    return ((bits[index >> 3] as number) & (0x80 >> (index & 7))) !== 0;
  } catch {
    return null;
  }
}

/** Revoked bits of one list, read from D1 at request time (then cached at the edge). */
export async function revokedPositions(ctx: Pick<AppContext, "db">, issuerId: string, list: number): Promise<number[]> {
  const rows = await ctx.db
    .select({ statusIndex: awards.statusIndex })
    .from(awards)
    .where(
      and(
        eq(awards.issuerId, issuerId),
        isNotNull(awards.revokedAt),
        gte(awards.statusIndex, list * STATUS_LIST_SIZE),
        lt(awards.statusIndex, (list + 1) * STATUS_LIST_SIZE),
      ),
    );
  return rows.map((r) => (r.statusIndex as number) - list * STATUS_LIST_SIZE);
}

/** The unsigned BitstringStatusListCredential of one list. */
export async function statusListCredential(appUrl: string, issuerId: string, list: number, revoked: number[], now: number) {
  const id = publicUrls(appUrl).statusList(issuerId, list);
  return {
    "@context": [VC_V2_CONTEXT],
    id,
    type: ["VerifiableCredential", "BitstringStatusListCredential"],
    issuer: issuerDid(appUrl, issuerId),
    validFrom: isoSeconds(new Date(now)),
    credentialSubject: {
      id: `${id}#list`,
      type: "BitstringStatusList",
      statusPurpose: "revocation",
      encodedList: await encodeBitstring(revoked),
    },
  };
}

/** The 1EdTech Revocation List that OB 3.0 names: every revoked credential of the issuer. */
export async function revocationList(ctx: Pick<AppContext, "db" | "config">, issuerId: string) {
  const appUrl = ctx.config.appUrl;
  const rows = await ctx.db
    .select({ id: awards.id, reason: awards.revocationReason })
    .from(awards)
    .where(and(eq(awards.issuerId, issuerId), isNotNull(awards.revokedAt)));
  return {
    id: publicUrls(appUrl).revocationList(issuerId),
    issuer: issuerDid(appUrl, issuerId),
    revokedCredentials: rows.map((r) => ({
      id: publicUrls(appUrl).credential(r.id),
      revoked: true,
      revocationReason: revocationReasonOf(r.reason),
    })),
  };
}
