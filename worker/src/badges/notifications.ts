import { and, eq, isNull } from "drizzle-orm";
import { emails, users } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import type { OutboxEvent } from "../outbox/deliver";
import type { AwardEventPayload } from "./award-events";
import { getAward } from "./awards.service";
import { awards } from "./awards.table";
import { getBadgeClass } from "./badge-classes.service";
import { badgeClasses } from "./badge-classes.table";
import { badgeAwardedEmail, badgeRevokedEmail } from "./badges.emails";
import { getIssuer } from "./issuers.service";
import { issuers } from "./issuers.table";

// The outbox handlers of the badges domain's events (registered in index.ts). Emails are
// rendered here, when they are sent: with the recipient's name and account as they are then.

function awardIdOf(event: OutboxEvent): string {
  const { awardId } = (event.payload ?? {}) as Partial<AwardEventPayload>;
  if (typeof awardId !== "string") throw new Error(`${event.kind} event ${event.id} names no award`);
  return awardId;
}

/**
 * What the "you earned a badge" email needs, in one query (a bulk award sends thousands):
 * the award, its badge class's and issuer's names, and whether an active account has the
 * recipient's address (as `getUserByEmail` decides it).
 */
function awardForEmail(ctx: Pick<AppContext, "db">, awardId: string) {
  return ctx.db
    .select({
      id: awards.id,
      recipientEmail: awards.recipientEmail,
      recipientName: awards.recipientName,
      notifiedAt: awards.notifiedAt,
      revokedAt: awards.revokedAt,
      badgeName: badgeClasses.name,
      issuerName: issuers.name,
      accountId: users.id,
    })
    .from(awards)
    .innerJoin(badgeClasses, eq(badgeClasses.id, awards.badgeClassId))
    .innerJoin(issuers, eq(issuers.id, awards.issuerId))
    .leftJoin(emails, eq(emails.address, awards.recipientEmail))
    .leftJoin(users, and(eq(users.id, emails.userId), eq(users.status, "active")))
    .where(eq(awards.id, awardId))
    .get();
}

/**
 * `award.created`: the "you earned a badge" email, once (`notified_at` says it went): to the
 * backpack if the address has an account, to registration otherwise.
 */
export async function notifyAwardCreated(ctx: AppContext, event: OutboxEvent): Promise<void> {
  const award = await awardForEmail(ctx, awardIdOf(event));
  // A revoked award needs no congratulations; a missing one has nothing to say.
  if (!award || award.revokedAt || award.notifiedAt) return;
  const hasAccount = award.accountId !== null;
  const email = encodeURIComponent(award.recipientEmail);
  const next = encodeURIComponent(`/backpack/${award.id}`);
  await ctx.mailer.send(
    badgeAwardedEmail(award.recipientEmail, {
      badgeName: award.badgeName,
      issuerName: award.issuerName,
      recipientName: award.recipientName,
      actionUrl: `${ctx.config.appUrl}/${hasAccount ? "sign-in" : "register"}?email=${email}&next=${next}`,
      hasAccount,
    }),
  );
  await ctx.db
    .update(awards)
    .set({ notifiedAt: new Date(ctx.now()) })
    .where(and(eq(awards.id, award.id), isNull(awards.notifiedAt)));
}

/** `award.revoked`: tells the recipient, with the reason the issuer gave. */
export async function notifyAwardRevoked(ctx: AppContext, event: OutboxEvent): Promise<void> {
  const award = await getAward(ctx, awardIdOf(event));
  if (!award?.revokedAt) return;
  const [badgeClass, issuer] = await Promise.all([getBadgeClass(ctx, award.badgeClassId), getIssuer(ctx, award.issuerId)]);
  if (!badgeClass || !issuer) return;
  await ctx.mailer.send(
    badgeRevokedEmail(award.recipientEmail, {
      badgeName: badgeClass.name,
      issuerName: issuer.name,
      reason: award.revocationReason ?? "",
      appUrl: ctx.config.appUrl,
    }),
  );
}
