import { and, desc, eq, isNull, lt, or, type SQL } from "drizzle-orm";
import { emails, type User } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import { base64ToBytes, bytesToBase64Url } from "../lib/crypto";
import { ValidationError } from "../lib/errors";
import { statusCondition } from "./awards.service";
import { type Award, awards } from "./awards.table";
import { type BadgeClass, badgeClasses } from "./badge-classes.table";
import { type Issuer, issuers } from "./issuers.table";

export type BackpackFilter = "all" | "active" | "expired";

export interface BackpackPage {
  items: Award[];
  /** The items' badge classes and issuers, read in the same query, for the request's loaders. */
  badgeClasses: BadgeClass[];
  issuers: Issuer[];
  endCursor: string | null;
  hasNextPage: boolean;
}

const encodeCursor = (award: Award) => bytesToBase64Url(new TextEncoder().encode(`${award.issuedOn.getTime()}|${award.id}`));

function decodeCursor(cursor: string): { issuedOn: number; id: string } {
  try {
    const [time, id] = new TextDecoder().decode(base64ToBytes(cursor)).split("|");
    if (time && id && /^\d+$/.test(time)) return { issuedOn: Number(time), id };
  } catch {
    // reported below
  }
  throw ValidationError.field("after", "That page cursor is not valid. Start from the first page.");
}

/**
 * Every unrevoked badge awarded to any verified email of the user, newest first. The join
 * on addresses is the whole mechanism: badges awarded before the account or the address
 * existed appear as soon as the address is verified.
 */
export async function listBackpack(
  ctx: AppContext,
  user: User,
  options: { filter: BackpackFilter; includeHidden: boolean; first: number; after?: string | null },
): Promise<BackpackPage> {
  const now = ctx.now();
  const conditions: SQL[] = [eq(emails.userId, user.id), isNull(awards.revokedAt)];
  if (options.filter === "active") conditions.push(or(statusCondition("pending", now), statusCondition("accepted", now))!);
  if (options.filter === "expired") conditions.push(statusCondition("expired", now));
  if (!options.includeHidden) conditions.push(isNull(awards.hiddenAt));
  if (options.after) {
    const cursor = decodeCursor(options.after);
    conditions.push(
      or(lt(awards.issuedOn, new Date(cursor.issuedOn)), and(eq(awards.issuedOn, new Date(cursor.issuedOn)), lt(awards.id, cursor.id)))!,
    );
  }
  const first = Math.min(Math.max(options.first, 1), 100);
  const rows = await ctx.db
    .select({ award: awards, badgeClass: badgeClasses, issuer: issuers })
    .from(awards)
    .innerJoin(emails, eq(emails.address, awards.recipientEmail))
    .innerJoin(badgeClasses, eq(badgeClasses.id, awards.badgeClassId))
    .innerJoin(issuers, eq(issuers.id, awards.issuerId))
    .where(and(...conditions))
    .orderBy(desc(awards.issuedOn), desc(awards.id))
    .limit(first + 1)
    .all();
  const page = rows.slice(0, first);
  const items = page.map((r) => r.award);
  return {
    items,
    badgeClasses: page.map((r) => r.badgeClass),
    issuers: page.map((r) => r.issuer),
    hasNextPage: rows.length > first,
    endCursor: items.length ? encodeCursor(items[items.length - 1]!) : null,
  };
}
