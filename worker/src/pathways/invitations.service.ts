import { and, count, desc, eq, inArray, isNull, notExists, sql } from "drizzle-orm";
import { emails, type User } from "../accounts/accounts.table";
import { auditInsertWhere } from "../audit/audit";
import { parseCsv } from "../badges/csv";
import { getIssuer } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { insertWhere, rowExists } from "../db/conditional";
import { renderEmail } from "../email/layout";
import { isEmailAddress, normalizeEmail } from "../lib/email-address";
import { NotFoundError, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import type { OutboxEvent } from "../outbox/deliver";
import { afterCommit } from "../outbox/enqueue";
import { armedIds } from "../outbox/intents";
import { refusedError, reserveAttempt } from "../throttling/guard";
import { pathwayInviteKeys } from "../throttling/policies";
import { pathwayEvaluateIntent, pathwayInvitedIntents } from "./pathway-events";
import { getPathway, requireEditablePathway } from "./pathways.service";
import {
  type Pathway,
  type PathwayInvitation,
  pathwayInvitations,
  pathwayProgressShares,
  pathwaySubscriptions,
  pathways,
} from "./pathways.table";

// Learners are invited to a pathway by email address, and answer signed in, from My Pathways,
// with any account that has the address verified: no link to lose, and nothing that tells the
// issuer whether an address has an account.

export const MAX_INVITATIONS = 500;
/** Five columns a row: 20 rows stay under D1's 100 bound values. */
const ROWS_PER_INSERT = 20;

export interface RowProblem {
  line: number;
  field: string;
  message: string;
}

/** A list that cannot be applied as a whole; nobody was invited. */
export class InvitationListRejectedError extends Error {
  override name = "InvitationListRejectedError";
  constructor(
    message: string,
    readonly rows: RowProblem[],
  ) {
    super(message);
  }
}

export interface InvitationReport {
  /** Addresses in the request, after removing repeats. */
  addresses: number;
  invited: number;
  alreadyInvited: number;
}

/** The addresses of a CSV (a header naming an `email` column) or of a list, checked all or nothing. */
function addressesOf(input: { emails?: string[] | null; csv?: string | null }): string[] {
  const rows: { line: number; value: string }[] = [];
  if (input.csv?.trim()) {
    const [header, ...lines] = parseCsv(input.csv);
    const column = header?.fields.map((f) => f.trim().toLowerCase()).indexOf("email") ?? -1;
    if (!header || column < 0) throw ValidationError.field("csv", "The first line must name the columns, one of them email.");
    for (const line of lines) rows.push({ line: line.line, value: line.fields[column] ?? "" });
  }
  for (const [i, value] of (input.emails ?? []).entries()) rows.push({ line: i + 1, value });
  if (rows.length === 0) throw ValidationError.field(input.csv ? "csv" : "emails", "Enter at least one email address.");
  if (rows.length > MAX_INVITATIONS) {
    throw ValidationError.field(input.csv ? "csv" : "emails", `At most ${MAX_INVITATIONS} addresses at a time; this has ${rows.length}.`);
  }
  const problems: RowProblem[] = [];
  const addresses = new Set<string>();
  for (const row of rows) {
    const address = normalizeEmail(row.value);
    if (!address) problems.push({ line: row.line, field: "email", message: "Enter an email address." });
    else if (!isEmailAddress(address))
      problems.push({ line: row.line, field: "email", message: `"${row.value.trim()}" is not a valid email address.` });
    else addresses.add(address);
  }
  if (problems.length) {
    throw new InvitationListRejectedError(
      `${problems.length} of ${rows.length} addresses have problems. Nobody was invited: fix them and send the list again.`,
      problems,
    );
  }
  return [...addresses];
}

/**
 * Invites addresses to a published pathway, all or none. Inviting an address again does
 * nothing (and emails nothing): the unique index decides, so a retried upload is harmless.
 * The answer and the work are the same whether or not an address has an account. Requests
 * are limited per inviter and per issuer (RateLimitedError).
 */
export async function inviteToPathway(
  ctx: AppContext,
  user: User,
  pathwayId: string,
  input: { emails?: string[] | null; csv?: string | null },
): Promise<InvitationReport> {
  const pathway = await requireEditablePathway(ctx, user, pathwayId);
  if (pathway.state !== "published") throw ValidationError.field("pathwayId", "Publish the pathway before inviting learners to it.");
  const addresses = addressesOf(input);
  const now = ctx.now();
  // Counted once the list is known to be good: a list sent back for fixing costs nothing.
  const reservation = await reserveAttempt(ctx.db, pathwayInviteKeys(pathway.issuerId, user.id), now);
  if (!reservation.granted) throw refusedError(reservation);
  const rows = addresses.map((email) => ({ id: newId(), email }));
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    statements.push(
      ctx.d1
        .prepare(
          `insert into pathway_invitations (id, pathway_id, email, state, invited_by, created_at)
           values ${chunk.map(() => "(?, ?, ?, 'pending', ?, ?)").join(", ")} on conflict do nothing returning id`,
        )
        .bind(...chunk.flatMap((r) => [r.id, pathwayId, r.email, user.id, now])),
    );
  }
  const ids = rows.map((r) => r.id);
  const audit = auditInsertWhere(
    ctx.db,
    {
      actorUserId: user.id,
      action: "pathway.invited",
      subjectType: "pathway",
      subjectId: pathwayId,
      data: { addresses: rows.length },
      ip: ctx.ip,
    },
    now,
    sql`exists (select 1 from ${pathwayInvitations} where ${pathwayInvitations.id} in (select value from json_each(${JSON.stringify(ids)})))`,
  ).toSQL();
  const results = await ctx.d1.batch<{ id: string }>([
    ...statements,
    ctx.d1.prepare(audit.sql).bind(...audit.params),
    pathwayInvitedIntents(ctx.d1, ids, now),
  ]);
  const invited = results.slice(0, statements.length).reduce((n, r) => n + r.results.length, 0);
  afterCommit(ctx, armedIds(results.at(-1)!));
  return { addresses: rows.length, invited, alreadyInvited: rows.length - invited };
}

/** `pathway.invited`: the invitation email, once (`notified_at` says it went). */
export async function sendPathwayInvitation(ctx: AppContext, event: OutboxEvent): Promise<void> {
  const { invitationId } = (event.payload ?? {}) as { invitationId?: unknown };
  if (typeof invitationId !== "string") throw new Error(`${event.kind} event ${event.id} names no invitation`);
  const invitation = await ctx.db.query.pathwayInvitations.findFirst({ where: eq(pathwayInvitations.id, invitationId) });
  if (!invitation || invitation.notifiedAt || invitation.state !== "pending") return;
  const pathway = await getPathway(ctx, invitation.pathwayId);
  const issuer = pathway && (await getIssuer(ctx, pathway.issuerId));
  if (!pathway || !issuer) return;
  const to = invitation.email;
  // The same words whether or not the address has an account.
  await ctx.mailer.send(
    renderEmail(to, {
      subject: `${issuer.name} invites you to the pathway "${pathway.name}"`,
      greeting: "Hello,",
      paragraphs: [
        `${issuer.name} invited ${to} to follow the pathway "${pathway.name}" on Laurel: a route of badges that ends in a completion badge.`,
        `Sign in to Laurel with an account that has ${to} as a verified email (or create one, or add this address to your account under Account › Emails), then open Pathways › My Pathways to accept or decline. The invitation waits there; you do not need this email.`,
      ],
      action: { label: "Open My Pathways", url: `${ctx.config.appUrl}/pathways` },
      footer:
        "You received this email because an issuer invited this address to a pathway. If you did not expect it, ignore it or decline.",
    }),
  );
  await ctx.db
    .update(pathwayInvitations)
    .set({ notifiedAt: new Date(ctx.now()) })
    .where(and(eq(pathwayInvitations.id, invitation.id), isNull(pathwayInvitations.notifiedAt)));
}

const myAddresses = (ctx: Pick<AppContext, "db">, user: User) =>
  ctx.db.select({ address: emails.address }).from(emails).where(eq(emails.userId, user.id));

/**
 * Accepts every pending invitation to the pathway sent to any of the user's verified emails,
 * and subscribes them, in one batch; judged again for completion right after (badges earned
 * before count). Accepting twice, or at once from two tabs, subscribes once.
 */
export async function answerInvitation(ctx: AppContext, user: User, pathwayId: string, answer: "accepted" | "declined"): Promise<Pathway> {
  const now = ctx.now();
  const pending = and(
    eq(pathwayInvitations.pathwayId, pathwayId),
    eq(pathwayInvitations.state, "pending"),
    inArray(pathwayInvitations.email, myAddresses(ctx, user)),
    rowExists(ctx.db, pathways, and(eq(pathways.id, pathwayId), eq(pathways.state, "published"))),
  );
  const answered = rowExists(
    ctx.db,
    pathwayInvitations,
    and(
      eq(pathwayInvitations.pathwayId, pathwayId),
      eq(pathwayInvitations.answeredBy, user.id),
      eq(pathwayInvitations.state, answer),
      eq(pathwayInvitations.answeredAt, new Date(now)),
    ),
  );
  const evaluate = pathwayEvaluateIntent(ctx.db, { pathwayId, userId: user.id }, now, { when: answered });
  const [, updated] = await ctx.db.batch([
    // First, under the answer's own guard: only a change that happens is audited.
    auditInsertWhere(
      ctx.db,
      { actorUserId: user.id, action: `pathway.invitation-${answer}`, subjectType: "pathway", subjectId: pathwayId, ip: ctx.ip },
      now,
      rowExists(ctx.db, pathwayInvitations, pending),
    ),
    ctx.db
      .update(pathwayInvitations)
      .set({ state: answer, answeredBy: user.id, answeredAt: new Date(now) })
      .where(pending)
      .returning({ id: pathwayInvitations.id }),
    ...(answer === "accepted"
      ? [
          insertWhere(
            ctx.db,
            pathwaySubscriptions,
            { pathwayId, userId: user.id, createdAt: new Date(now) },
            answered,
          ).onConflictDoNothing(),
          evaluate.statement,
        ]
      : []),
  ]);
  if (updated.length === 0) throw new NotFoundError("There is no pending invitation to that pathway for any of your verified emails.");
  if (answer === "accepted") afterCommit(ctx, [evaluate.id]);
  return (await getPathway(ctx, pathwayId))!;
}

/** Anyone signed in may follow a published pathway (an opportunity) without an invitation. */
export async function joinPathway(ctx: AppContext, user: User, pathwayId: string): Promise<Pathway> {
  const pathway = await getPathway(ctx, pathwayId);
  if (pathway?.state !== "published") throw new NotFoundError("No published pathway with that id.");
  const now = ctx.now();
  const joinable = and(
    rowExists(ctx.db, pathways, and(eq(pathways.id, pathwayId), eq(pathways.state, "published"))),
    notExists(
      ctx.db
        .select({ one: sql`1` })
        .from(pathwaySubscriptions)
        .where(and(eq(pathwaySubscriptions.pathwayId, pathwayId), eq(pathwaySubscriptions.userId, user.id))),
    ),
  )!;
  const joined = rowExists(
    ctx.db,
    pathwaySubscriptions,
    and(
      eq(pathwaySubscriptions.pathwayId, pathwayId),
      eq(pathwaySubscriptions.userId, user.id),
      eq(pathwaySubscriptions.createdAt, new Date(now)),
    ),
  );
  const evaluate = pathwayEvaluateIntent(ctx.db, { pathwayId, userId: user.id }, now, { when: joined });
  await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      { actorUserId: user.id, action: "pathway.joined", subjectType: "pathway", subjectId: pathwayId, ip: ctx.ip },
      now,
      joinable,
    ),
    insertWhere(ctx.db, pathwaySubscriptions, { pathwayId, userId: user.id, createdAt: new Date(now) }, joinable).onConflictDoNothing(),
    // Invitations to the same pathway are answered by joining it.
    ctx.db
      .update(pathwayInvitations)
      .set({ state: "accepted", answeredBy: user.id, answeredAt: new Date(now) })
      .where(
        and(
          eq(pathwayInvitations.pathwayId, pathwayId),
          eq(pathwayInvitations.state, "pending"),
          inArray(pathwayInvitations.email, myAddresses(ctx, user)),
        ),
      ),
    evaluate.statement,
  ]);
  afterCommit(ctx, [evaluate.id]);
  return pathway;
}

/** Stops following a pathway, withdrawing its public progress link; completions and their badges stay. */
export async function leavePathway(ctx: AppContext, user: User, pathwayId: string): Promise<Pathway> {
  const pathway = await getPathway(ctx, pathwayId);
  if (!pathway) throw new NotFoundError("No pathway with that id.");
  const mine = and(eq(pathwaySubscriptions.pathwayId, pathwayId), eq(pathwaySubscriptions.userId, user.id));
  await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      { actorUserId: user.id, action: "pathway.left", subjectType: "pathway", subjectId: pathwayId, ip: ctx.ip },
      ctx.now(),
      rowExists(ctx.db, pathwaySubscriptions, mine),
    ),
    ctx.db.delete(pathwaySubscriptions).where(mine),
    // A public link to progress on a pathway the learner left would show what they walked away from.
    ctx.db
      .delete(pathwayProgressShares)
      .where(and(eq(pathwayProgressShares.pathwayId, pathwayId), eq(pathwayProgressShares.userId, user.id))),
  ]);
  return pathway;
}

export interface InvitationsPage {
  items: PathwayInvitation[];
  pending: number;
  accepted: number;
  declined: number;
}

/** The issuer's view of a pathway's invitations, by address only, newest first (the field checks the role). */
export async function listInvitations(
  ctx: Pick<AppContext, "db">,
  pathway: Pathway,
  page: { limit: number; offset: number },
): Promise<InvitationsPage> {
  const [items, counts] = await Promise.all([
    ctx.db
      .select()
      .from(pathwayInvitations)
      .where(eq(pathwayInvitations.pathwayId, pathway.id))
      .orderBy(desc(pathwayInvitations.createdAt), desc(pathwayInvitations.id))
      .limit(Math.min(Math.max(page.limit, 1), 100))
      .offset(Math.max(page.offset, 0))
      .all(),
    ctx.db
      .select({ state: pathwayInvitations.state, n: count() })
      .from(pathwayInvitations)
      .where(eq(pathwayInvitations.pathwayId, pathway.id))
      .groupBy(pathwayInvitations.state)
      .all(),
  ]);
  const n = (state: string) => counts.find((c) => c.state === state)?.n ?? 0;
  return { items, pending: n("pending"), accepted: n("accepted"), declined: n("declined") };
}
