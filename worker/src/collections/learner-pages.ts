import { and, desc, eq, isNotNull } from "drizzle-orm";
import { emails, type User } from "../accounts/accounts.table";
import { setProfileShownPublicly } from "../accounts/profile.service";
import { awards } from "../badges/awards.table";
import type { AppContext } from "../context";
import { purgeAfterCommit } from "../http/edge-cache";
import { publicUrls } from "../lib/public-urls";
import { collectionCacheUrl } from "./collections.service";
import { collections } from "./collections.table";

/** Badge pages purged at once when a learner shows or hides their profile; older ones follow within their max-age. */
const PURGED_BADGE_PAGES = 100;

/**
 * The learner shows or hides their profile on their public pages. Their shared collections'
 * pages and their most recent badges' pages are purged after the commit, so turning it off
 * takes effect there at once; other cached copies expire within minutes (ADR 010). Edits of
 * the profile's text or photo while it is shown appear as those copies expire.
 */
export async function showProfilePublicly(ctx: AppContext, user: User, shown: boolean) {
  const profile = await setProfileShownPublicly(ctx, user, shown);
  const [badges, shared] = await Promise.all([
    ctx.db
      .select({ id: awards.id })
      .from(awards)
      .innerJoin(emails, eq(emails.address, awards.recipientEmail))
      .where(and(eq(emails.userId, user.id), isNotNull(emails.verifiedAt)))
      .orderBy(desc(awards.createdAt))
      .limit(PURGED_BADGE_PAGES)
      .all(),
    ctx.db
      .select({ hash: collections.shareTokenHash })
      .from(collections)
      .where(and(eq(collections.userId, user.id), isNotNull(collections.shareTokenHash)))
      .all(),
  ]);
  const urls = publicUrls(ctx.config.appUrl);
  purgeAfterCommit(ctx, [
    ...badges.map((b) => urls.assertion(b.id)),
    ...shared.flatMap((c) => (c.hash ? [collectionCacheUrl(ctx.config.appUrl, c.hash)] : [])),
  ]);
  return profile;
}
