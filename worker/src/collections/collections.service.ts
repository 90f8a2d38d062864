import { and, asc, desc, eq, inArray, isNotNull, isNull, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { emails, type User } from "../accounts/accounts.table";
import { auditInsert, auditInsertWhere } from "../audit/audit";
import { type Award, awards } from "../badges/awards.table";
import type { AppContext } from "../context";
import { insertWhere, rowExists } from "../db/conditional";
import { inSlices } from "../db/limits";
import { purgeAfterCommit } from "../http/edge-cache";
import { checkText } from "../lib/checks";
import { randomToken, sha256Hex } from "../lib/crypto";
import { NotFoundError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { type Collection, collectionItems, collections } from "./collections.table";

export const MAX_BADGES_PER_COLLECTION = 100;

/** A collection with the token of the link just made: only shareCollection's answer has it. */
export type SharedCollection = Collection & { shareToken?: string };

const SHARE_TOKEN = /^[A-Za-z0-9_-]{22}$/;

/** The stored form of a link's token, or null for a string no share ever produced. */
export async function shareTokenHash(token: string): Promise<string | null> {
  return SHARE_TOKEN.test(token) ? sha256Hex(token) : null;
}

/**
 * Where the edge cache keeps a shared collection's page: under the token's hash, so a change
 * can purge it without the token (which is not stored), and no path a request can name.
 */
export const collectionCacheUrl = (appUrl: string, hash: string) => `${appUrl}/public/collections/.by-hash/${hash}`;

export interface CollectionInput {
  name: string;
  description?: string | null;
}

function checkCollection(input: CollectionInput) {
  const problems = new Problems();
  const name = checkText(problems, "name", "a name", input.name, 80);
  const description = checkText(problems, "description", "the description", input.description, 500, false);
  problems.throwIfAny();
  return { name, description };
}

export async function listMyCollections(ctx: Pick<AppContext, "db">, user: User): Promise<Collection[]> {
  return ctx.db.query.collections.findMany({ where: eq(collections.userId, user.id), orderBy: desc(collections.createdAt) });
}

export async function getOwnCollection(ctx: Pick<AppContext, "db">, user: User, id: string): Promise<Collection | null> {
  return (await ctx.db.query.collections.findFirst({ where: and(eq(collections.id, id), eq(collections.userId, user.id)) })) ?? null;
}

export async function requireOwnCollection(ctx: Pick<AppContext, "db">, user: User, id: string): Promise<Collection> {
  const collection = await getOwnCollection(ctx, user, id);
  if (!collection) throw new NotFoundError(NOT_FOUND);
  return collection;
}

const NOT_FOUND = "You have no collection with that id.";

/**
 * The audit insert for a change to the collection, written only if `guard` (the change's own
 * condition) holds when it runs: placed before the change, so a collection deleted by a
 * racing request gets no entry for an update that then changes nothing.
 */
const audit = (ctx: AppContext, user: User, action: string, id: string, guard: SQL | undefined, data?: Record<string, unknown>) =>
  auditInsertWhere(
    ctx.db,
    { actorUserId: user.id, action: `collection.${action}`, subjectType: "collection", subjectId: id, data, ip: ctx.ip },
    ctx.now(),
    rowExists(ctx.db, collections, guard),
  );

const owned = (user: User, id: string) => and(eq(collections.id, id), eq(collections.userId, user.id));

export async function createCollection(ctx: AppContext, user: User, input: CollectionInput): Promise<Collection> {
  const clean = checkCollection(input);
  const now = new Date(ctx.now());
  const row = { id: newId(), userId: user.id, ...clean, shareTokenHash: null, sharedAt: null, createdAt: now, updatedAt: now };
  await ctx.db.batch([
    ctx.db.insert(collections).values(row),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "collection.created", subjectType: "collection", subjectId: row.id, ip: ctx.ip },
      now.getTime(),
    ),
  ]);
  return row;
}

/** Purges the public page after a change, so the shared link shows it now. */
function changed(ctx: AppContext, collection: Collection) {
  if (collection.shareTokenHash) purgeAfterCommit(ctx, [collectionCacheUrl(ctx.config.appUrl, collection.shareTokenHash)]);
}

export async function updateCollection(ctx: AppContext, user: User, id: string, input: CollectionInput): Promise<Collection> {
  const collection = await requireOwnCollection(ctx, user, id);
  const clean = checkCollection(input);
  const [, updated] = await ctx.db.batch([
    audit(ctx, user, "updated", id, owned(user, id)),
    ctx.db
      .update(collections)
      .set({ ...clean, updatedAt: new Date(ctx.now()) })
      .where(owned(user, id))
      .returning(),
  ]);
  if (!updated[0]) throw new NotFoundError(NOT_FOUND);
  changed(ctx, collection);
  return updated[0];
}

/** How many of these awards are unrevoked and in the user's backpack. */
async function countOwnAwards(ctx: Pick<AppContext, "db">, user: User, awardIds: string[]): Promise<number> {
  const rows = await inSlices(awardIds, (slice) =>
    ctx.db
      .select({ id: awards.id })
      .from(awards)
      .innerJoin(emails, eq(emails.address, awards.recipientEmail))
      .where(and(inArray(awards.id, slice), eq(emails.userId, user.id), isNull(awards.revokedAt)))
      .all(),
  );
  return rows.length;
}

/** Replaces the collection's badges with these, in this order; every one must be the user's own. */
export async function setCollectionBadges(ctx: AppContext, user: User, id: string, awardIds: string[]): Promise<Collection> {
  const collection = await requireOwnCollection(ctx, user, id);
  const unique = [...new Set(awardIds)];
  if (unique.length > MAX_BADGES_PER_COLLECTION) {
    throw ValidationError.field("awardIds", `A collection holds at most ${MAX_BADGES_PER_COLLECTION} badges.`);
  }
  if ((await countOwnAwards(ctx, user, unique)) !== unique.length) {
    throw ValidationError.field("awardIds", "Only badges in your backpack can go in a collection.");
  }
  const now = new Date(ctx.now());
  // Every statement is conditional on the collection still existing: one deleted meanwhile
  // gets no orphan items (which its foreign key would refuse) and no audit entry.
  const exists = rowExists(ctx.db, collections, owned(user, id));
  const inserts: BatchItem<"sqlite">[] = unique.map((awardId, position) =>
    insertWhere(ctx.db, collectionItems, { collectionId: id, awardId, position }, exists),
  );
  const [, , ...rest] = await ctx.db.batch([
    audit(ctx, user, "badges_set", id, owned(user, id), { count: unique.length }),
    ctx.db.delete(collectionItems).where(eq(collectionItems.collectionId, id)),
    ...inserts,
    ctx.db.update(collections).set({ updatedAt: now }).where(owned(user, id)).returning(),
  ]);
  if ((rest.at(-1) as Collection[]).length === 0) throw new NotFoundError(NOT_FOUND);
  changed(ctx, collection);
  return { ...collection, updatedAt: now };
}

/** Shares under a new unguessable link, returned this once; an earlier link stops working. */
export async function shareCollection(ctx: AppContext, user: User, id: string): Promise<SharedCollection> {
  const collection = await requireOwnCollection(ctx, user, id);
  const now = new Date(ctx.now());
  const shareToken = randomToken(16);
  const [, updated] = await ctx.db.batch([
    audit(ctx, user, "shared", id, owned(user, id)),
    ctx.db
      .update(collections)
      .set({ shareTokenHash: await sha256Hex(shareToken), sharedAt: now, updatedAt: now })
      .where(owned(user, id))
      .returning(),
  ]);
  if (!updated[0]) throw new NotFoundError(NOT_FOUND);
  changed(ctx, collection);
  return { ...updated[0], shareToken };
}

export async function unshareCollection(ctx: AppContext, user: User, id: string): Promise<Collection> {
  const collection = await requireOwnCollection(ctx, user, id);
  // Unsharing what is not shared changes nothing, and is not audited.
  const shared = and(owned(user, id), isNotNull(collections.shareTokenHash));
  const [, updated] = await ctx.db.batch([
    audit(ctx, user, "unshared", id, shared),
    ctx.db
      .update(collections)
      .set({ shareTokenHash: null, sharedAt: null, updatedAt: new Date(ctx.now()) })
      .where(shared)
      .returning(),
  ]);
  changed(ctx, collection);
  if (updated[0]) return updated[0];
  return requireOwnCollection(ctx, user, id);
}

export async function deleteCollection(ctx: AppContext, user: User, id: string): Promise<void> {
  const collection = await requireOwnCollection(ctx, user, id);
  const [, , deleted] = await ctx.db.batch([
    audit(ctx, user, "deleted", id, owned(user, id), { name: collection.name }),
    ctx.db.delete(collectionItems).where(eq(collectionItems.collectionId, id)),
    ctx.db.delete(collections).where(owned(user, id)).returning({ id: collections.id }),
  ]);
  if (!deleted[0]) throw new NotFoundError(NOT_FOUND);
  changed(ctx, collection);
}

/** The badges of these collections, in each one's order, tagged with the collection they are in. */
export function badgesOfCollections(
  ctx: Pick<AppContext, "db">,
  collectionIds: readonly string[],
  options: { publicOnly: boolean },
): Promise<(Award & { collectionId: string })[]> {
  // Only badges still awarded to one of the owner's verified addresses: one that left the
  // backpack (address removed, merged away) silently leaves the collection's page too.
  return inSlices(collectionIds, async (slice) => {
    const rows = await ctx.db
      .select({ award: awards, collectionId: collectionItems.collectionId })
      .from(collectionItems)
      .innerJoin(collections, eq(collections.id, collectionItems.collectionId))
      .innerJoin(awards, eq(awards.id, collectionItems.awardId))
      .innerJoin(emails, and(eq(emails.address, awards.recipientEmail), eq(emails.userId, collections.userId)))
      .where(
        and(
          inArray(collectionItems.collectionId, slice),
          isNull(awards.revokedAt),
          ...(options.publicOnly ? [isNull(awards.hiddenAt)] : []),
        ),
      )
      .orderBy(asc(collectionItems.collectionId), asc(collectionItems.position));
    return rows.map((r) => ({ ...r.award, collectionId: r.collectionId }));
  });
}

/** One collection's badges in order; `publicOnly` leaves out hidden ones. */
export function collectionBadges(ctx: Pick<AppContext, "db">, collection: Collection, options: { publicOnly: boolean }): Promise<Award[]> {
  return badgesOfCollections(ctx, [collection.id], options);
}

/** A shared collection by its link token's hash; null when there is none (or it stopped being shared). */
export async function getSharedCollection(ctx: Pick<AppContext, "db">, tokenHash: string): Promise<Collection | null> {
  return (await ctx.db.query.collections.findFirst({ where: eq(collections.shareTokenHash, tokenHash) })) ?? null;
}
