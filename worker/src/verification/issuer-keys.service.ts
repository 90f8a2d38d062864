import { and, eq, isNull } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import { auditInsert } from "../audit/audit";
import { requireIssuerRole } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { purgeAfterCommit } from "../http/edge-cache";
import { base64ToBytes, bytesToBase64Url } from "../lib/crypto";
import { newId } from "../lib/ids";
import { publicUrls } from "../lib/public-urls";
import { derivedSealingKey, open, seal } from "../lib/secret-box";
import { issuerDid, verificationMethodId } from "./did-web";
import { type IssuerSigningKey, issuerSigningKeys } from "./issuer-keys.table";
import { ed25519Multikey } from "./multibase";

export interface SigningKey {
  verificationMethod: string;
  privateKey: CryptoKey;
}

/** The key that seals issuers' private keys. */
function sealingKey(ctx: Pick<AppContext, "config">): Promise<Uint8Array<ArrayBuffer>> {
  return derivedSealingKey(ctx.config.appSecret, "issuer-signing-keys/v1");
}

export async function listIssuerKeys(ctx: Pick<AppContext, "db">, issuerId: string): Promise<IssuerSigningKey[]> {
  return ctx.db.query.issuerSigningKeys.findMany({ where: eq(issuerSigningKeys.issuerId, issuerId), orderBy: issuerSigningKeys.number });
}

async function newKeyRow(ctx: Pick<AppContext, "config">, issuerId: string, number: number, now: number) {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
  const pkcs8 = new Uint8Array((await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer);
  const id = newId();
  return {
    id,
    issuerId,
    number,
    publicKeyMultibase: ed25519Multikey(raw),
    privateKeySealed: await seal(await sealingKey(ctx), bytesToBase64Url(pkcs8), `issuer-key:${issuerId}:${id}`),
    createdAt: new Date(now),
    retiredAt: null,
  };
}

/**
 * How long a new key is published before it signs. DID documents are cached (here and by
 * verifiers) for minutes; a credential signed with a key its verifier's cached copy lacks
 * would fail, so rotation pre-publishes the new key first.
 */
export const KEY_PUBLISH_DELAY_MS = 10 * 60_000;

/** The key that signs at `now`: the newest published long enough (the first key at once). */
export function activeSigningKey<K extends Pick<IssuerSigningKey, "number" | "createdAt">>(keys: K[], now: number): K | undefined {
  return [...keys].sort((a, b) => b.number - a.number).find((k) => k.number === 1 || k.createdAt.getTime() + KEY_PUBLISH_DELAY_MS <= now);
}

async function activeKey(ctx: Pick<AppContext, "db" | "now">, issuerId: string) {
  return activeSigningKey(await listIssuerKeys(ctx, issuerId), ctx.now());
}

/** The issuer's current key row, made on first use (two first uses at once agree on one). */
export async function ensureSigningKey(ctx: Pick<AppContext, "db" | "config" | "now">, issuerId: string): Promise<IssuerSigningKey> {
  const key = await activeKey(ctx, issuerId);
  if (key) return key;
  await ctx.db
    .insert(issuerSigningKeys)
    .values(await newKeyRow(ctx, issuerId, 1, ctx.now()))
    .onConflictDoNothing();
  const made = await activeKey(ctx, issuerId);
  if (!made) throw new Error(`No signing key for issuer ${issuerId}`);
  return made;
}

/** The issuer's current signing key, opened for signing. */
export async function signingKeyFor(ctx: Pick<AppContext, "db" | "config" | "now">, issuerId: string): Promise<SigningKey> {
  const key = await ensureSigningKey(ctx, issuerId);
  const pkcs8 = await open(await sealingKey(ctx), key.privateKeySealed, `issuer-key:${issuerId}:${key.id}`);
  const privateKey = await crypto.subtle.importKey("pkcs8", base64ToBytes(pkcs8), { name: "Ed25519" }, false, ["sign"]);
  return { verificationMethod: verificationMethodId(issuerDid(ctx.config.appUrl, issuerId), key.number), privateKey };
}

/**
 * Publishes a fresh key that takes over signing after KEY_PUBLISH_DELAY_MS. The old one is
 * retired then, not deleted: it stays in the DID document so what it signed still verifies.
 */
export async function rotateSigningKey(ctx: AppContext, user: User, issuerId: string): Promise<IssuerSigningKey> {
  await requireIssuerRole(ctx, user, issuerId, "manage-keys");
  const keys = await listIssuerKeys(ctx, issuerId);
  const now = ctx.now();
  const row = await newKeyRow(ctx, issuerId, (keys.at(-1)?.number ?? 0) + 1, now);
  await ctx.db.batch([
    ctx.db
      .update(issuerSigningKeys)
      .set({ retiredAt: new Date(now + KEY_PUBLISH_DELAY_MS) })
      .where(and(eq(issuerSigningKeys.issuerId, issuerId), isNull(issuerSigningKeys.retiredAt))),
    ctx.db.insert(issuerSigningKeys).values(row),
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "issuer.key_rotated",
        subjectType: "issuer",
        subjectId: issuerId,
        data: { keyNumber: row.number },
        ip: ctx.ip,
      },
      now,
    ),
  ]);
  purgeAfterCommit(ctx, [publicUrls(ctx.config.appUrl).didDocument(issuerId)]);
  return row;
}
