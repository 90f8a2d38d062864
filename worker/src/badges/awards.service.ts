import { and, count, desc, eq, gt, isNotNull, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { emails, type User } from "../accounts/accounts.table";
import { auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { insertWhere, rowExists } from "../db/conditional";
import { purgeAfterCommit } from "../http/edge-cache";
import { addMonths, checkDate, checkText, checkUrl } from "../lib/checks";
import { sha256Hex } from "../lib/crypto";
import { isEmailAddress, normalizeEmail } from "../lib/email-address";
import { IdempotencyKeyReusedError, NotFoundError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { publicUrls } from "../lib/public-urls";
import { afterCommit } from "../outbox/enqueue";
import { documentsChangedByRevocation } from "../verification/ob3";
import { awardAcceptedIntent, awardCreatedIntent, awardRevokedIntent } from "./award-events";
import { type Award, type AwardStatus, awards, type Evidence, type RubricResult } from "./awards.table";
import { requireBadgeClass } from "./badge-classes.service";
import type { BadgeClass } from "./badge-classes.table";
import { earlierResult, idempotencyClaim } from "./idempotency";
import { requireIssuerRole } from "./issuers.service";
import { hashedRecipient } from "./recipient";

export interface AwardInput {
  email: string;
  recipientName?: string | null;
  narrative?: string | null;
  evidence?: Evidence[] | null;
  /** YYYY-MM-DD or ISO date-time; today when empty. */
  issuedOn?: string | null;
  /** Overrides the badge class's expiry rule. */
  expiresOn?: string | null;
}

/** Checks one award's input, adding field messages under `prefix` (CSV rows use their own). */
export function checkAward(problems: Problems, badgeClass: BadgeClass, input: AwardInput, now: number) {
  const email = normalizeEmail(input.email ?? "");
  if (!email) problems.add("email", "Enter the recipient's email.");
  else if (!isEmailAddress(email)) problems.add("email", `"${input.email}" is not a valid email address.`);
  const recipientName = checkText(problems, "recipientName", "the recipient's name", input.recipientName, 200, false) || null;
  const narrative = checkText(problems, "narrative", "a narrative", input.narrative, 10000, false) || null;
  const evidence = (input.evidence ?? [])
    .map((e, i) => ({
      url: checkUrl(problems, `evidence.${i}.url`, e.url),
      narrative: checkText(problems, `evidence.${i}.narrative`, "the evidence narrative", e.narrative, 5000, false) || null,
    }))
    .filter((e) => e.url || e.narrative);
  const issuedOn = checkDate(problems, "issuedOn", input.issuedOn) ?? new Date(now);
  if (issuedOn.getTime() > now + 24 * 3600_000) problems.add("issuedOn", "The issue date cannot be in the future.");
  const explicitExpiry = checkDate(problems, "expiresOn", input.expiresOn);
  const expiresAt = explicitExpiry ?? (badgeClass.validForMonths ? addMonths(issuedOn, badgeClass.validForMonths) : null);
  if (expiresAt && expiresAt.getTime() <= issuedOn.getTime()) problems.add("expiresOn", "The expiry date must be after the issue date.");
  return { email, recipientName, narrative, evidence, issuedOn, expiresAt };
}

export type CheckedAward = ReturnType<typeof checkAward>;

/** The row for a checked award, with a fresh salted recipient hash. */
export async function awardRow(
  badgeClass: BadgeClass,
  award: Omit<CheckedAward, "evidence"> & { evidence: Evidence[] },
  awardedBy: string,
  sourceKey: string,
  now: number,
) {
  const recipient = await hashedRecipient(award.email);
  return {
    id: newId(),
    badgeClassId: badgeClass.id,
    issuerId: badgeClass.issuerId,
    recipientEmail: award.email,
    recipientName: award.recipientName,
    recipientSalt: recipient.salt,
    recipientHash: recipient.hash,
    narrative: award.narrative,
    evidence: award.evidence,
    issuedOn: award.issuedOn,
    expiresAt: award.expiresAt,
    sourceKey,
    awardedBy,
    createdAt: new Date(now),
  } satisfies typeof awards.$inferInsert;
}

/**
 * The statements that award a badge inside another domain's batch (a micro-credential
 * decision): `statements(when)` writes the award only if `when` holds as the batch runs, and
 * its `award.created` event and audit row only if it was written. `sourceKey` makes it once per source, whatever retries. The caller
 * hands `notificationId` to `afterCommit` once the batch committed.
 */
export async function awardInsertWhere(
  ctx: Pick<AppContext, "db" | "ip">,
  badgeClass: BadgeClass,
  award: { email: string; recipientName: string | null; narrative: string | null; evidence: Evidence[]; results: RubricResult[] },
  awardedBy: string,
  sourceKey: string,
  now: number,
) {
  const issuedOn = new Date(now);
  const expiresAt = badgeClass.validForMonths ? addMonths(issuedOn, badgeClass.validForMonths) : null;
  const { results, ...rest } = award;
  const row = { ...(await awardRow(badgeClass, { ...rest, issuedOn, expiresAt }, awardedBy, sourceKey, now)), results };
  const created = rowExists(ctx.db, awards, eq(awards.id, row.id));
  const notification = awardCreatedIntent(ctx.db, row.id, now, created);
  return {
    awardId: row.id,
    notificationId: notification.id,
    statements: (when: SQL) => [
      insertWhere(ctx.db, awards, row, when).onConflictDoNothing(),
      notification.statement,
      auditInsertWhere(
        ctx.db,
        {
          actorUserId: awardedBy,
          action: "award.created",
          subjectType: "award",
          subjectId: row.id,
          data: { badgeClassId: badgeClass.id, email: award.email, sourceKey },
          ip: ctx.ip,
        },
        now,
        created,
      ),
    ],
  };
}

const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{8,100}$/;

export function checkIdempotencyKey(problems: Problems, raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  if (!IDEMPOTENCY_KEY.test(raw)) {
    problems.add(
      "idempotencyKey",
      "An idempotency key is 8 to 100 letters, digits, '.', '_', ':' or '-'; a new UUID per award is a good one.",
    );
  }
  return raw;
}

/** What a retry must repeat exactly: the badge class and the input as sent, before defaults (today's date) apply. */
function awardRequestHash(badgeClassId: string, input: AwardInput): Promise<string> {
  const clean = (value: string | null | undefined) => value?.trim() || null;
  return sha256Hex(
    JSON.stringify([
      badgeClassId,
      normalizeEmail(input.email ?? ""),
      clean(input.recipientName),
      clean(input.narrative),
      (input.evidence ?? []).map((e) => [clean(e.url), clean(e.narrative)]),
      clean(input.issuedOn),
      clean(input.expiresOn),
    ]),
  );
}

/**
 * Awards a badge and emails the recipient. With an idempotency key, the first request with
 * that key (per awarding user) awards; the insert's row count decides, so retries and
 * concurrent duplicates get that same award back and nothing new is written or sent.
 */
export async function awardBadge(
  ctx: AppContext,
  user: User,
  badgeClassId: string,
  input: AwardInput,
  idempotencyKey: string | null = null,
): Promise<Award> {
  const badgeClass = await requireBadgeClass(ctx, badgeClassId);
  await requireIssuerRole(ctx, user, badgeClass.issuerId, "award");
  const now = ctx.now();
  const problems = new Problems();
  const checked = checkAward(problems, badgeClass, input, now);
  const key = checkIdempotencyKey(problems, idempotencyKey);
  problems.throwIfAny();
  const requestHash = key ? await awardRequestHash(badgeClassId, input) : null;
  const row = { ...(await awardRow(badgeClass, checked, user.id, `api:${newId()}`, now)), idempotencyKey: key, requestHash };
  const created = rowExists(ctx.db, awards, eq(awards.id, row.id));
  // The email's intent and the audit row only if this request's insert won the key.
  const notification = awardCreatedIntent(ctx.db, row.id, now, created);
  const [inserted] = await ctx.db.batch([
    ctx.db.insert(awards).values(row).onConflictDoNothing().returning(),
    notification.statement,
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: user.id,
        action: "award.created",
        subjectType: "award",
        subjectId: row.id,
        data: { badgeClassId, email: checked.email },
        ip: ctx.ip,
      },
      now,
      created,
    ),
  ]);
  const award = inserted[0];
  if (!award) {
    if (!key) throw new Error(`award ${row.id} was not inserted`);
    return earlierAward(ctx, user, key, requestHash);
  }
  afterCommit(ctx, [notification.id]);
  return award;
}

/** The award an idempotency key already made, if the request is the same one. */
async function earlierAward(ctx: Pick<AppContext, "db">, user: User, key: string, requestHash: string | null): Promise<Award> {
  const earlier = await ctx.db.query.awards.findFirst({ where: and(eq(awards.awardedBy, user.id), eq(awards.idempotencyKey, key)) });
  if (!earlier) throw new Error(`idempotency key ${key} conflicted but holds no award`);
  if (earlier.requestHash !== requestHash) {
    throw new IdempotencyKeyReusedError("This idempotency key was already used for a different award. Send a new key for a new award.");
  }
  return earlier;
}

export async function getAward(ctx: Pick<AppContext, "db">, id: string): Promise<Award | null> {
  return (await ctx.db.query.awards.findFirst({ where: eq(awards.id, id) })) ?? null;
}

/**
 * Revokes an award with a reason. With an idempotency key, the first request with that key
 * (per revoking user) revokes; a retry, or one of many concurrent ones, gets that revoked
 * award back instead of "already revoked". The key's claim in the batch decides who won.
 */
export async function revokeAward(
  ctx: AppContext,
  user: User,
  input: { awardId: string; reason: string },
  idempotencyKey: string | null = null,
): Promise<Award> {
  const award = await getAward(ctx, input.awardId);
  if (!award) throw new NotFoundError("No award with that id.");
  await requireIssuerRole(ctx, user, award.issuerId, "revoke");
  const problems = new Problems();
  const reason = checkText(problems, "reason", "the reason for revoking", input.reason, 1000);
  const key = checkIdempotencyKey(problems, idempotencyKey);
  problems.throwIfAny();
  const request = key
    ? { userId: user.id, operation: "revokeAward", key, requestHash: await sha256Hex(JSON.stringify([award.id, reason])) }
    : null;
  const again = async () => {
    if (request && (await earlierResult<string>(ctx.db, request, "revocation")) !== null) return (await getAward(ctx, award.id))!;
    throw ValidationError.field("awardId", "This award is already revoked.");
  };
  if (award.revokedAt) return again();
  const now = ctx.now();
  const claim = request ? idempotencyClaim(ctx.db, request, now) : null;
  const unrevoked = and(eq(awards.id, award.id), isNull(awards.revokedAt), claim?.held);
  const notification = awardRevokedIntent(ctx.db, award.id, now);
  // The audit row goes first, under the revocation's own guard: of racing revocations only
  // the one whose update will match writes it. A key is claimed only while the award is
  // unrevoked, so a key that holds a row is the one that revoked it.
  const statements: BatchItem<"sqlite">[] = [
    ...(claim
      ? [
          claim.claim(rowExists(ctx.db, awards, and(eq(awards.id, award.id), isNull(awards.revokedAt)))),
          claim.setResult(sql`${JSON.stringify(award.id)}`),
        ]
      : []),
    auditInsertWhere(
      ctx.db,
      { actorUserId: user.id, action: "award.revoked", subjectType: "award", subjectId: award.id, data: { reason }, ip: ctx.ip },
      now,
      rowExists(ctx.db, awards, unrevoked),
    ),
    ctx.db
      .update(awards)
      .set({ revokedAt: new Date(now), revocationReason: reason, revokedBy: user.id })
      .where(unrevoked)
      .returning(),
    notification.statement,
  ];
  const results = await ctx.db.batch(statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
  const revoked = (results.at(-2) as Award[])[0];
  if (!revoked) return again();
  afterCommit(ctx, [notification.id]);
  // Verifiers must see the revocation now, not when the edge cache expires.
  purgeAfterCommit(ctx, [publicUrls(ctx.config.appUrl).assertion(award.id), ...documentsChangedByRevocation(ctx.config.appUrl, award)]);
  return revoked;
}

export function statusCondition(status: AwardStatus, now: number): SQL {
  const expired = and(isNotNull(awards.expiresAt), lte(awards.expiresAt, new Date(now)))!;
  const live = and(isNull(awards.revokedAt), or(isNull(awards.expiresAt), gt(awards.expiresAt, new Date(now))))!;
  switch (status) {
    case "revoked":
      return isNotNull(awards.revokedAt);
    case "expired":
      return and(isNull(awards.revokedAt), expired)!;
    case "accepted":
      return and(live, isNotNull(awards.acceptedAt))!;
    case "pending":
      return and(live, isNull(awards.acceptedAt))!;
  }
}

/** An issuer's awards, newest first, filtered by status, badge class or recipient. */
export async function listIssuerAwards(
  ctx: AppContext,
  user: User,
  issuerId: string,
  filter: { status?: AwardStatus | null; badgeClassId?: string | null; recipient?: string | null; limit: number; offset: number },
): Promise<{ items: Award[]; total: number }> {
  await requireIssuerRole(ctx, user, issuerId, "award");
  const conditions = [eq(awards.issuerId, issuerId)];
  if (filter.status) conditions.push(statusCondition(filter.status, ctx.now()));
  if (filter.badgeClassId) conditions.push(eq(awards.badgeClassId, filter.badgeClassId));
  if (filter.recipient) conditions.push(sql`${awards.recipientEmail} like ${`%${filter.recipient.trim().toLowerCase()}%`}`);
  const where = and(...conditions);
  const [items, [total]] = await Promise.all([
    ctx.db
      .select()
      .from(awards)
      .where(where)
      .orderBy(desc(awards.createdAt), desc(awards.id))
      .limit(filter.limit)
      .offset(filter.offset)
      .all(),
    ctx.db.select({ n: count() }).from(awards).where(where).all(),
  ]);
  return { items, total: total?.n ?? 0 };
}

/** The award, if it was made to one of the user's verified emails; null otherwise. */
export async function getOwnAward(ctx: Pick<AppContext, "db">, user: User, awardId: string): Promise<Award | null> {
  const row = await ctx.db
    .select({ award: awards })
    .from(awards)
    .innerJoin(emails, eq(emails.address, awards.recipientEmail))
    .where(and(eq(awards.id, awardId), eq(emails.userId, user.id)))
    .get();
  return row?.award ?? null;
}

export async function requireOwnAward(ctx: Pick<AppContext, "db">, user: User, awardId: string): Promise<Award> {
  const award = await getOwnAward(ctx, user, awardId);
  if (!award) throw new NotFoundError("That badge is not in your backpack.");
  return award;
}

/**
 * Accept, hide or show again a badge in one's own backpack. Each change is guarded by the
 * state it changes, so doing it twice (or twice at once) changes and audits it once.
 */
export async function setAwardVisibility(ctx: AppContext, user: User, awardId: string, change: "accept" | "hide" | "show"): Promise<Award> {
  const own = await requireOwnAward(ctx, user, awardId);
  if (own.revokedAt) throw new NotFoundError("That badge is not in your backpack.");
  const now = ctx.now();
  const { set, pending } = {
    // An earlier acceptance keeps its date when a hidden badge is accepted again.
    accept: {
      set: { acceptedAt: sql`coalesce(${awards.acceptedAt}, ${now})`, hiddenAt: null },
      pending: or(isNull(awards.acceptedAt), isNotNull(awards.hiddenAt)),
    },
    hide: { set: { hiddenAt: new Date(now) }, pending: isNull(awards.hiddenAt) },
    show: { set: { hiddenAt: null }, pending: isNotNull(awards.hiddenAt) },
  }[change];
  const guard = and(eq(awards.id, awardId), isNull(awards.revokedAt), pending);
  // Only the first acceptance is an event (webhooks); showing a hidden badge again is not.
  const accepted =
    change === "accept"
      ? awardAcceptedIntent(ctx.db, awardId, now, rowExists(ctx.db, awards, and(guard, isNull(awards.acceptedAt))))
      : null;
  const [, , updated] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      { actorUserId: user.id, action: `award.${change}`, subjectType: "award", subjectId: awardId, ip: ctx.ip },
      now,
      rowExists(ctx.db, awards, guard),
    ),
    accepted?.statement ?? ctx.db.select({ one: sql`1` }).from(awards).where(sql`0`),
    ctx.db.update(awards).set(set).where(guard).returning(),
  ]);
  if (accepted) afterCommit(ctx, [accepted.id]);
  if (updated[0]) return updated[0];
  // Nothing to change: already in that state, or revoked meanwhile.
  const current = await getAward(ctx, awardId);
  if (!current || current.revokedAt) throw new NotFoundError("That badge is not in your backpack.");
  return current;
}
