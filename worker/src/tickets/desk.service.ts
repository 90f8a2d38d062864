import { and, asc, eq, inArray, isNull, lte, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { getUserByEmail, getUserById } from "../accounts/accounts.service";
import type { User } from "../accounts/accounts.table";
import { listEmails } from "../accounts/emails.service";
import { auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { rowExists } from "../db/conditional";
import { NotFoundError, Problems, ValidationError } from "../lib/errors";
import { DAY } from "../lib/time";
import { getActiveAuthenticator } from "../mfa/authenticators";
import { resetUserMfa } from "../mfa/mfa.service";
import { afterCommit } from "../outbox/enqueue";
import { listIdentities } from "../sso/identities";
import { AUTO_CLOSE_DAYS, nextState } from "./states";
import { commentInsert, replyEmailStatements, ticketIn, transitionStatements } from "./ticket-changes";
import { MAX_BODY } from "./tickets.service";
import { type Ticket, type TicketComment, type TicketState, type TicketTopic, ticketComments, tickets } from "./tickets.table";

// The staff desk. Every function here is reached only through fields behind the `staff` scope.

export interface QueueFilter {
  state?: TicketState | null;
  topic?: TicketTopic | null;
  /** A staff user's id, or "none" for the unassigned. */
  assignee?: string | null;
}

/** The queue: open work first by default (every state but closed), oldest activity first, as a desk works it. */
export function listQueue(ctx: Pick<AppContext, "db">, filter: QueueFilter): Promise<Ticket[]> {
  const where: (SQL | undefined)[] = [
    filter.state ? eq(tickets.state, filter.state) : inArray(tickets.state, ["new", "open", "pending"]),
    filter.topic ? eq(tickets.topic, filter.topic) : undefined,
    filter.assignee === "none" ? isNull(tickets.assigneeUserId) : filter.assignee ? eq(tickets.assigneeUserId, filter.assignee) : undefined,
  ];
  return ctx.db
    .select()
    .from(tickets)
    .where(and(...where))
    .orderBy(asc(tickets.updatedAt), asc(tickets.id))
    .limit(200)
    .all();
}

export async function getTicket(ctx: Pick<AppContext, "db">, ticketId: string): Promise<Ticket | null> {
  return (await ctx.db.query.tickets.findFirst({ where: eq(tickets.id, ticketId) })) ?? null;
}

async function requireTicket(ctx: Pick<AppContext, "db">, ticketId: string): Promise<Ticket> {
  const ticket = await getTicket(ctx, ticketId);
  if (!ticket) throw new NotFoundError("There is no such ticket.");
  return ticket;
}

/** Every comment, internal notes included: for staff only. */
export function allComments(ctx: Pick<AppContext, "db">, ticketId: string): Promise<TicketComment[]> {
  return ctx.db
    .select()
    .from(ticketComments)
    .where(eq(ticketComments.ticketId, ticketId))
    .orderBy(asc(ticketComments.createdAt), asc(ticketComments.id))
    .all();
}

/** The account behind a ticket: the one that filed it, or the one holding its address now. */
export async function requesterAccount(ctx: Pick<AppContext, "db">, ticket: Ticket): Promise<User | null> {
  if (ticket.requesterUserId) return getUserById(ctx, ticket.requesterUserId);
  return getUserByEmail(ctx, ticket.requesterEmail);
}

/** What a desk shows beside the ticket. */
export async function accountSummary(ctx: Pick<AppContext, "db">, user: User) {
  const [addresses, authenticator, identities] = await Promise.all([
    listEmails(ctx, user.id),
    getActiveAuthenticator(ctx, user.id),
    listIdentities(ctx, user.id),
  ]);
  return { user, emails: addresses, mfaEnabledAt: authenticator?.confirmedAt ?? null, identities };
}

export function listStaffUsers(ctx: Pick<AppContext, "db">): Promise<Pick<User, "id" | "firstName" | "lastName">[]> {
  return ctx.db.query.users.findMany({
    where: (u, { eq: is }) => is(u.role, "staff"),
    columns: { id: true, firstName: true, lastName: true },
    orderBy: (u) => [asc(u.firstName), asc(u.lastName)],
  });
}

type DeskDeps = Pick<AppContext, "db" | "config" | "ip" | "env" | "now" | "waitUntil">;

const changedMeanwhile = () => ValidationError.field("state", "This ticket changed meanwhile. Reload it.");
const lastChanges = (results: unknown[]) => (results[results.length - 1] as { meta: { changes: number } }).meta.changes;

/**
 * A staff reply: public (emailed to the requester with its own link; a new ticket becomes
 * open) or an internal note (never shown to the requester, never emailed). `state`, when
 * given, is set in the same batch, as a desk's "Submit as pending".
 */
export async function replyAsStaff(
  ctx: DeskDeps,
  staff: User,
  input: { ticketId: string; body: string; internal: boolean; state?: TicketState | null },
): Promise<Ticket> {
  const problems = new Problems();
  const body = input.body.trim();
  if (!body) problems.add("body", "Write the reply.");
  else if (body.length > MAX_BODY) problems.add("body", `Keep it under ${MAX_BODY} characters.`);
  problems.throwIfAny();
  const ticket = await requireTicket(ctx, input.ticketId);
  const afterReply = nextState(ticket.state, { kind: "staff-reply" });
  if (!afterReply) throw ValidationError.field("body", "This ticket is closed: it takes no more replies.");
  const setState = input.state && input.state !== afterReply ? input.state : null;
  if (setState && !nextState(afterReply, { kind: "staff-set", to: setState }))
    throw ValidationError.field("state", `A ${afterReply} ticket cannot become ${setState}.`);
  const now = ctx.now();
  const actor = { userId: staff.id, ip: ctx.ip };
  const reply = transitionStatements(ctx.db, ticket, { kind: "staff-reply" }, actor, now);
  const comment = commentInsert(
    ctx.db,
    ticket.id,
    { userId: staff.id, role: "staff" },
    { body, public: !input.internal },
    now,
    reply.guard,
  );
  const email = input.internal ? null : await replyEmailStatements(ctx, ticket, comment.text, now, reply.guard);
  const set = setState ? transitionStatements(ctx.db, ticket, { kind: "staff-set", to: setState }, actor, now) : null;
  const results = await ctx.db.batch([
    comment.statement,
    ...(email?.statements ?? []),
    ...reply.audits,
    reply.update,
    ...(set ? [...set.audits, set.update] : []),
  ]);
  const replied = results[results.length - 1 - (set ? set.audits.length + 1 : 0)] as { meta: { changes: number } };
  if (replied.meta.changes === 0) throw changedMeanwhile();
  if (email) afterCommit(ctx, [email.mailId]);
  return requireTicket(ctx, ticket.id);
}

/** A staff state change (open, pending, solved); closed comes only from the automatic close. */
export async function setTicketState(ctx: DeskDeps, staff: User, input: { ticketId: string; state: TicketState }): Promise<Ticket> {
  const ticket = await requireTicket(ctx, input.ticketId);
  const event = { kind: "staff-set" as const, to: input.state };
  if (!nextState(ticket.state, event)) throw ValidationError.field("state", `A ${ticket.state} ticket cannot become ${input.state}.`);
  const change = transitionStatements(ctx.db, ticket, event, { userId: staff.id, ip: ctx.ip }, ctx.now());
  if (lastChanges(await ctx.db.batch([...change.audits, change.update] as [typeof change.update]))) return requireTicket(ctx, ticket.id);
  throw changedMeanwhile();
}

/** Assigns a live ticket to a staff user, or to nobody. */
export async function assignTicket(ctx: DeskDeps, staff: User, input: { ticketId: string; assigneeId: string | null }): Promise<Ticket> {
  const ticket = await requireTicket(ctx, input.ticketId);
  if (input.assigneeId) {
    const assignee = await getUserById(ctx, input.assigneeId);
    if (assignee?.role !== "staff") throw ValidationError.field("assigneeId", "Choose a member of staff.");
  }
  const now = ctx.now();
  const live = ticketIn(ctx.db, ticket.id, ["new", "open", "pending", "solved"]);
  const [, updated] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: staff.id,
        action: "ticket.assigned",
        subjectType: "ticket",
        subjectId: ticket.id,
        data: { assigneeId: input.assigneeId },
        ip: ctx.ip,
      },
      now,
      live,
    ),
    ctx.db
      .update(tickets)
      .set({ assigneeUserId: input.assigneeId, updatedAt: new Date(now) })
      .where(and(eq(tickets.id, ticket.id), inArray(tickets.state, ["new", "open", "pending", "solved"]))),
  ]);
  if (updated.meta.changes === 0) throw ValidationError.field("assigneeId", "This ticket is closed.");
  return requireTicket(ctx, ticket.id);
}

/** The existing staff MFA reset, for the ticket's requester; its audit entry names the ticket. */
export async function resetRequesterMfa(ctx: AppContext, staff: User, input: { ticketId: string; reason: string }): Promise<User> {
  const ticket = await requireTicket(ctx, input.ticketId);
  const account = await requesterAccount(ctx, ticket);
  if (!account) throw new NotFoundError("No account uses this ticket's address.");
  return resetUserMfa(ctx, staff, { userId: account.id, reason: input.reason, ticketId: ticket.id });
}

/**
 * The Cron Trigger's part: tickets solved AUTO_CLOSE_DAYS ago or more become closed. Each close
 * is conditional on the ticket still being solved that long, so a requester's reply that
 * reopened it a moment before wins, and each close is audited once.
 */
export async function closeSolvedTickets(ctx: Pick<AppContext, "db" | "now">): Promise<number> {
  const cutoff = new Date(ctx.now() - AUTO_CLOSE_DAYS * DAY);
  const due = await ctx.db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.state, "solved"), lte(tickets.solvedAt, cutoff)))
    .orderBy(asc(tickets.solvedAt))
    .limit(50)
    .all();
  if (due.length === 0) return 0;
  const now = ctx.now();
  const stillDue = (id: string) => and(eq(tickets.id, id), eq(tickets.state, "solved"), lte(tickets.solvedAt, cutoff));
  const results = await ctx.db.batch(
    due.flatMap(({ id }) => [
      auditInsertWhere(
        ctx.db,
        {
          actorUserId: null,
          action: "ticket.state-changed",
          subjectType: "ticket",
          subjectId: id,
          data: { from: "solved", to: "closed", event: "auto-close" },
        },
        now,
        rowExists(ctx.db, tickets, stillDue(id)) as SQL,
      ),
      ctx.db
        .update(tickets)
        .set({ state: "closed", updatedAt: new Date(now) })
        .where(stillDue(id)),
    ]) as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
  );
  return results.filter((_r, i) => i % 2 === 1).reduce((n, r) => n + (r as { meta: { changes: number } }).meta.changes, 0);
}
