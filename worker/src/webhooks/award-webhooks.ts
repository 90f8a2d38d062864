import { eq } from "drizzle-orm";
import type { AwardEventPayload } from "../badges/award-events";
import { awards } from "../badges/awards.table";
import { badgeClasses } from "../badges/badge-classes.table";
import type { AppContext } from "../context";
import { publicUrls } from "../lib/public-urls";
import type { OutboxEvent } from "../outbox/deliver";
import { fanOut } from "./deliveries.service";

type AwardEventType = "award.created" | "award.accepted" | "award.revoked";

/**
 * The outbox handler that turns a badges event into webhook deliveries. The payload is read
 * when the handler runs, so it says what the award is now (a revoked award says so).
 */
export const awardWebhooks =
  (type: AwardEventType) =>
  async (ctx: AppContext, event: OutboxEvent): Promise<void> => {
    const { awardId } = (event.payload ?? {}) as Partial<AwardEventPayload>;
    if (typeof awardId !== "string") throw new Error(`${event.kind} event ${event.id} names no award`);
    const row = await ctx.db
      .select({ award: awards, badgeClassName: badgeClasses.name })
      .from(awards)
      .innerJoin(badgeClasses, eq(badgeClasses.id, awards.badgeClassId))
      .where(eq(awards.id, awardId))
      .get();
    if (!row) return;
    const { award } = row;
    const urls = publicUrls(ctx.config.appUrl);
    await fanOut(ctx, {
      issuerId: award.issuerId,
      type,
      key: `${type}:${awardId}`,
      occurredAt:
        (type === "award.accepted" ? award.acceptedAt : type === "award.revoked" ? award.revokedAt : award.createdAt) ?? event.createdAt,
      data: {
        awardId,
        issuerId: award.issuerId,
        badgeClassId: award.badgeClassId,
        badgeClassName: row.badgeClassName,
        recipientEmail: award.recipientEmail,
        recipientName: award.recipientName,
        issuedOn: award.issuedOn.toISOString(),
        expiresAt: award.expiresAt?.toISOString() ?? null,
        acceptedAt: award.acceptedAt?.toISOString() ?? null,
        revokedAt: award.revokedAt?.toISOString() ?? null,
        revocationReason: award.revocationReason,
        assertionUrl: urls.assertion(awardId),
        credentialUrl: urls.credential(awardId),
      },
    });
  };
