import { and, eq } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import { auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { insertWhere, rowExists } from "../db/conditional";
import { randomToken, sha256Hex, timingSafeEqual } from "../lib/crypto";
import { NotFoundError } from "../lib/errors";
import { publicUrls } from "../lib/public-urls";
import { requireVisiblePathway } from "./pathways.service";
import { type Pathway, pathwayProgressShares, pathwaySubscriptions, pathways } from "./pathways.table";

// A learner may show their progress on a pathway to anyone through a secret link, and withdraw
// it. The token (128 random bits) is shown once and kept only as its SHA-256.

const SHARE_TOKEN = /^[A-Za-z0-9_-]{22}$/;

export interface ProgressShareLink {
  url: string;
  createdAt: Date;
}

export interface ProgressShare {
  pathway: Pathway;
  userId: string;
  createdAt: Date;
}

/** The stored form of a link's token, or null for a string no share ever produced. */
async function tokenHashOf(token: string): Promise<string | null> {
  return SHARE_TOKEN.test(token) ? sha256Hex(token) : null;
}

const mine = (user: Pick<User, "id">, pathwayId: string) =>
  and(eq(pathwayProgressShares.pathwayId, pathwayId), eq(pathwayProgressShares.userId, user.id));

/**
 * Shares the user's progress on a pathway they follow under a new link, returned this once;
 * an earlier link stops working in the same batch. Only a follower can share: the guard is the
 * subscription itself, so leaving at the same moment cannot leave a link behind.
 */
export async function shareProgress(ctx: AppContext, user: User, pathwayId: string): Promise<ProgressShareLink> {
  const pathway = await requireVisiblePathway(ctx, user, pathwayId);
  const token = randomToken(16);
  const tokenHash = await sha256Hex(token);
  const now = ctx.now();
  const subscribed = rowExists(
    ctx.db,
    pathwaySubscriptions,
    and(eq(pathwaySubscriptions.pathwayId, pathway.id), eq(pathwaySubscriptions.userId, user.id)),
  );
  const [, inserted] = await ctx.db.batch([
    ctx.db.delete(pathwayProgressShares).where(and(mine(user, pathway.id), subscribed)),
    insertWhere(ctx.db, pathwayProgressShares, { tokenHash, pathwayId: pathway.id, userId: user.id, createdAt: new Date(now) }, subscribed)
      .onConflictDoNothing()
      .returning({ tokenHash: pathwayProgressShares.tokenHash }),
    auditInsertWhere(
      ctx.db,
      { actorUserId: user.id, action: "pathway.progress-shared", subjectType: "pathway", subjectId: pathway.id, ip: ctx.ip },
      now,
      rowExists(ctx.db, pathwayProgressShares, eq(pathwayProgressShares.tokenHash, tokenHash)),
    ),
  ]);
  if (inserted.length === 0) throw new NotFoundError("Follow this pathway to share your progress on it.");
  return { url: publicUrls(ctx.config.appUrl).pathwayProgress(token), createdAt: new Date(now) };
}

/** Withdraws the link at once; withdrawing what is not shared changes nothing and is not audited. */
export async function withdrawProgressShare(ctx: AppContext, user: User, pathwayId: string): Promise<Pathway> {
  const pathway = await requireVisiblePathway(ctx, user, pathwayId);
  await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      { actorUserId: user.id, action: "pathway.progress-unshared", subjectType: "pathway", subjectId: pathway.id, ip: ctx.ip },
      ctx.now(),
      rowExists(ctx.db, pathwayProgressShares, mine(user, pathway.id)),
    ),
    ctx.db.delete(pathwayProgressShares).where(mine(user, pathway.id)),
  ]);
  return pathway;
}

/** When the user's progress on the pathway became shared, or null. */
export async function progressSharedAt(ctx: Pick<AppContext, "db">, user: Pick<User, "id">, pathwayId: string): Promise<Date | null> {
  const row = await ctx.db.query.pathwayProgressShares.findFirst({ columns: { createdAt: true }, where: mine(user, pathwayId) });
  return row?.createdAt ?? null;
}

/** The share a link's token opens, or null (unknown, malformed, or withdrawn). */
export async function getProgressShare(ctx: Pick<AppContext, "db">, token: string): Promise<ProgressShare | null> {
  const tokenHash = await tokenHashOf(token);
  if (!tokenHash) return null;
  const row = await ctx.db
    .select({ share: pathwayProgressShares, pathway: pathways })
    .from(pathwayProgressShares)
    .innerJoin(pathways, eq(pathways.id, pathwayProgressShares.pathwayId))
    .where(eq(pathwayProgressShares.tokenHash, tokenHash))
    .get();
  // The index found it by the hash; compared again without leaking where a near miss differs.
  if (!row || !timingSafeEqual(row.share.tokenHash, tokenHash) || row.pathway.state === "draft") return null;
  return { pathway: row.pathway, userId: row.share.userId, createdAt: row.share.createdAt };
}
