import { and, asc, desc, eq, inArray, or } from "drizzle-orm";
import { getPrimaryEmail } from "../accounts/accounts.service";
import { emails, type User } from "../accounts/accounts.table";
import { consumeCode, issueCode } from "../accounts/codes";
import { checkCode } from "../accounts/validation";
import { auditInsert, auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { sha256Hex, timingSafeEqual } from "../lib/crypto";
import { checkEmail } from "../lib/email-address";
import { NotFoundError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { renderMarkdown } from "../lib/markdown";
import { requireHuman } from "../lib/turnstile";
import { afterCommit } from "../outbox/enqueue";
import { refusedError, reserveAttempt } from "../throttling/guard";
import { ticketReplyKey, ticketSubmitKeys } from "../throttling/policies";
import { nextState } from "./states";
import { commentInsert, newTicketLink, ticketIn, transitionStatements } from "./ticket-changes";
import { ticketCodeEmail, ticketReceivedEmail } from "./tickets.emails";
import { TICKET_TOPICS, type Ticket, type TicketComment, type TicketTopic, ticketComments, ticketLinks, tickets } from "./tickets.table";

export const MAX_SUBJECT = 150;
export const MAX_BODY = 10_000;
const MAX_SOURCE_PAGE = 300;

export interface TicketRequest {
  subject: string;
  description: string;
  topic: string;
  sourcePage?: string | null;
}

interface CheckedRequest {
  subject: string;
  description: string;
  topic: TicketTopic;
  sourcePage: string | null;
}

function checkBody(problems: Problems, field: string, raw: string): string {
  const body = raw.trim();
  if (!body) problems.add(field, "Write your message.");
  else if (body.length > MAX_BODY) problems.add(field, `Keep it under ${MAX_BODY} characters.`);
  return body;
}

function checkRequest(problems: Problems, input: TicketRequest): CheckedRequest {
  const subject = input.subject.trim().replace(/\s+/g, " ");
  if (!subject) problems.add("subject", "Enter a subject.");
  else if (subject.length > MAX_SUBJECT) problems.add("subject", `Keep the subject under ${MAX_SUBJECT} characters.`);
  const description = checkBody(problems, "description", input.description);
  const topic = TICKET_TOPICS.find((t) => t === input.topic);
  if (!topic) problems.add("topic", "Choose what your request is about.");
  // Only a path on this site: it is shown to staff as a link.
  const raw = (input.sourcePage ?? "").trim();
  const sourcePage = raw.startsWith("/") && !raw.startsWith("//") && !raw.includes("\\") && raw.length <= MAX_SOURCE_PAGE ? raw : null;
  return { subject, description, topic: topic ?? "other", sourcePage };
}

type Deps = Pick<AppContext, "db" | "config" | "ip" | "env" | "now" | "waitUntil">;

/** Writes a new ticket, its first comment, its first link and "request received", in one batch. */
async function createTicket(
  ctx: Deps,
  request: CheckedRequest & { requesterUserId: string | null; requesterEmail: string; followUpOf?: Ticket },
  actorUserId: string | null,
): Promise<Ticket> {
  const now = ctx.now();
  const ticket: Ticket = {
    id: newId(),
    subject: request.subject,
    topic: request.topic,
    state: "new",
    requesterUserId: request.requesterUserId,
    requesterEmail: request.requesterEmail,
    sourcePage: request.sourcePage,
    assigneeUserId: request.followUpOf?.assigneeUserId ?? null,
    followUpOfId: request.followUpOf?.id ?? null,
    rating: null,
    ratingComment: null,
    createdAt: new Date(now),
    updatedAt: new Date(now),
    solvedAt: null,
  };
  const rendered = renderMarkdown(request.description);
  const link = await newTicketLink(ctx.db, ctx.config.appUrl, ticket.id, now);
  const mail = await emailIntent(
    ctx,
    ticketReceivedEmail(ticket.requesterEmail, ticket.subject, link.url, request.followUpOf?.subject ?? null),
    now,
  );
  await ctx.db.batch([
    ctx.db.insert(tickets).values(ticket),
    ctx.db.insert(ticketComments).values({
      id: newId(),
      ticketId: ticket.id,
      authorUserId: request.requesterUserId,
      authorRole: "requester",
      public: true,
      bodyMarkdown: request.description,
      bodyHtml: rendered.html,
      createdAt: new Date(now),
    }),
    link.statement,
    auditInsert(
      ctx.db,
      {
        actorUserId,
        action: request.followUpOf ? "ticket.follow-up-created" : "ticket.created",
        subjectType: "ticket",
        subjectId: ticket.id,
        data: { topic: ticket.topic, ...(request.followUpOf ? { followUpOf: request.followUpOf.id } : {}) },
        ip: ctx.ip,
      },
      now,
    ),
    mail.statement,
  ]);
  afterCommit(ctx, [mail.id]);
  return ticket;
}

async function reserveSubmission(ctx: Pick<AppContext, "db" | "ip" | "now">, requesterKey: string) {
  const reservation = await reserveAttempt(ctx.db, ticketSubmitKeys(requesterKey, ctx.ip), ctx.now());
  if (!reservation.granted) throw refusedError(reservation);
}

/** A signed-in user's request: they are the requester, at their primary address. */
export async function submitTicket(ctx: Deps, user: User, input: TicketRequest): Promise<Ticket> {
  const problems = new Problems();
  const request = checkRequest(problems, input);
  problems.throwIfAny();
  await reserveSubmission(ctx, `user:${user.id}`);
  const requesterEmail = await getPrimaryEmail(ctx, user.id);
  return createTicket(ctx, { ...request, requesterUserId: user.id, requesterEmail }, user.id);
}

/**
 * A signed-out request: the request waits in an emailed code's row until the code comes back,
 * so nothing is filed for an address nobody confirmed. The answer and the email are the same
 * whether or not the address has an account.
 */
export async function requestTicketCode(
  ctx: Deps,
  input: TicketRequest & { email: string; turnstileToken?: string | null },
): Promise<{ email: string }> {
  const problems = new Problems();
  const email = checkEmail(problems, "email", input.email);
  const request = checkRequest(problems, input);
  problems.throwIfAny();
  await requireHuman(ctx, input.turnstileToken, "ticket");
  await reserveSubmission(ctx, `email:${email}`);
  await issueCode(ctx, "ticket", email, { ...request }, (code) => ticketCodeEmail(email, code), ctx.now());
  return { email };
}

/** The code came back: the request is filed for the confirmed address; its link goes by email only. */
export async function confirmTicketRequest(ctx: Deps, input: { email: string; code: string }): Promise<{ email: string }> {
  const problems = new Problems();
  const email = checkEmail(problems, "email", input.email);
  const code = checkCode(problems, "code", input.code);
  problems.throwIfAny();
  const payload = await consumeCode(ctx, "ticket", email, code, ctx.now());
  const checked = new Problems();
  const request = checkRequest(checked, payload as unknown as TicketRequest);
  checked.throwIfAny();
  await createTicket(ctx, { ...request, requesterUserId: null, requesterEmail: email }, null);
  return { email };
}

// ---- Who may see a ticket ------------------------------------------------------------------

export type TicketReader = Pick<AppContext, "db" | "user" | "apiToken">;

/** The requester's own tickets: filed as them, or at one of their verified addresses. */
function requesterCondition(user: User) {
  const addresses = (db: AppContext["db"]) => db.select({ address: emails.address }).from(emails).where(eq(emails.userId, user.id));
  return (db: AppContext["db"]) => or(eq(tickets.requesterUserId, user.id), inArray(tickets.requesterEmail, addresses(db)));
}

/**
 * The ticket as its requester may see it: through a link's token (compared in constant time
 * with each of the ticket's link hashes), or signed in as its requester. Null otherwise, the
 * same null as for a ticket that does not exist.
 */
export async function getRequesterTicket(ctx: TicketReader, ticketId: string, accessToken?: string | null): Promise<Ticket | null> {
  if (accessToken) {
    const candidate = await sha256Hex(accessToken);
    const links = await ctx.db.select({ tokenHash: ticketLinks.tokenHash }).from(ticketLinks).where(eq(ticketLinks.ticketId, ticketId));
    let match = false;
    for (const link of links) match = timingSafeEqual(candidate, link.tokenHash) || match;
    if (match) return (await ctx.db.query.tickets.findFirst({ where: eq(tickets.id, ticketId) })) ?? null;
  }
  // An API token is not a requester here: tickets are for people in a browser.
  const user = ctx.apiToken === null ? ctx.user : null;
  if (!user) return null;
  const row = await ctx.db
    .select()
    .from(tickets)
    .where(and(eq(tickets.id, ticketId), requesterCondition(user)(ctx.db)))
    .get();
  return row ?? null;
}

export async function requireRequesterTicket(ctx: TicketReader, ticketId: string, accessToken?: string | null): Promise<Ticket> {
  const ticket = await getRequesterTicket(ctx, ticketId, accessToken);
  if (!ticket) throw new NotFoundError("There is no such request, or its link has expired.");
  return ticket;
}

/** My Tickets, newest activity first. */
export function listMyTickets(ctx: Pick<AppContext, "db">, user: User): Promise<Ticket[]> {
  return ctx.db
    .select()
    .from(tickets)
    .where(requesterCondition(user)(ctx.db))
    .orderBy(desc(tickets.updatedAt), desc(tickets.id))
    .limit(100)
    .all();
}

/** The conversation a requester sees: public comments only, filtered in SQL. */
export function publicComments(ctx: Pick<AppContext, "db">, ticketId: string): Promise<TicketComment[]> {
  return ctx.db
    .select()
    .from(ticketComments)
    .where(and(eq(ticketComments.ticketId, ticketId), eq(ticketComments.public, true)))
    .orderBy(asc(ticketComments.createdAt), asc(ticketComments.id))
    .all();
}

// ---- What a requester does -----------------------------------------------------------------

type RequesterDeps = Deps & TicketReader;

/**
 * A requester's reply: it reopens a pending or solved ticket. A closed ticket takes no more
 * replies, so the reply starts a follow-up linked to it (also when the close won a race with it).
 */
export async function replyAsRequester(
  ctx: RequesterDeps,
  input: { ticketId: string; accessToken?: string | null; body: string },
): Promise<{ ticket: Ticket; followUp: boolean }> {
  const problems = new Problems();
  const body = checkBody(problems, "body", input.body);
  problems.throwIfAny();
  const ticket = await requireRequesterTicket(ctx, input.ticketId, input.accessToken);
  const reservation = await reserveAttempt(ctx.db, [ticketReplyKey(ticket.id)], ctx.now());
  if (!reservation.granted) throw refusedError(reservation);
  const author = { userId: ctx.apiToken === null ? (ctx.user?.id ?? null) : null, role: "requester" as const };
  if (ticket.state !== "closed") {
    const now = ctx.now();
    const change = transitionStatements(ctx.db, ticket, { kind: "requester-reply" }, { userId: author.userId, ip: ctx.ip }, now);
    const comment = commentInsert(ctx.db, ticket.id, author, { body, public: true }, now, change.guard);
    const [, ...rest] = await ctx.db.batch([comment.statement, ...change.audits, change.update]);
    const updated = rest[rest.length - 1] as { meta: { changes: number } };
    if (updated.meta.changes > 0) return { ticket: await requireRequesterTicket(ctx, ticket.id, input.accessToken), followUp: false };
  }
  const followUp = await createTicket(
    ctx,
    {
      subject: `Follow-up: ${ticket.subject}`.slice(0, MAX_SUBJECT),
      description: body,
      topic: ticket.topic,
      sourcePage: ticket.sourcePage,
      requesterUserId: ticket.requesterUserId ?? author.userId,
      requesterEmail: ticket.requesterEmail,
      followUpOf: ticket,
    },
    author.userId,
  );
  return { ticket: followUp, followUp: true };
}

/** The requester says their problem is solved. */
export async function solveAsRequester(ctx: RequesterDeps, input: { ticketId: string; accessToken?: string | null }): Promise<Ticket> {
  const ticket = await requireRequesterTicket(ctx, input.ticketId, input.accessToken);
  if (!nextState(ticket.state, { kind: "requester-solve" }))
    throw ValidationError.field("state", `This request is already ${ticket.state}.`);
  const userId = ctx.apiToken === null ? (ctx.user?.id ?? null) : null;
  const change = transitionStatements(ctx.db, ticket, { kind: "requester-solve" }, { userId, ip: ctx.ip }, ctx.now());
  const results = await ctx.db.batch([...change.audits, change.update] as [typeof change.update]);
  if ((results[results.length - 1] as { meta: { changes: number } }).meta.changes === 0)
    throw ValidationError.field("state", "This request changed meanwhile. Reload it.");
  return requireRequesterTicket(ctx, ticket.id, input.accessToken);
}

export const MAX_RATING_COMMENT = 2000;

/** "How would you rate the support you received?", once solved; it may be changed until closed and after. */
export async function rateTicket(
  ctx: RequesterDeps,
  input: { ticketId: string; accessToken?: string | null; good: boolean; comment?: string | null },
): Promise<Ticket> {
  const comment = (input.comment ?? "").trim();
  if (comment.length > MAX_RATING_COMMENT) throw ValidationError.field("comment", `Keep it under ${MAX_RATING_COMMENT} characters.`);
  const ticket = await requireRequesterTicket(ctx, input.ticketId, input.accessToken);
  const now = ctx.now();
  const rated = ticketIn(ctx.db, ticket.id, ["solved", "closed"]);
  const [, updated] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: ctx.apiToken === null ? (ctx.user?.id ?? null) : null,
        action: "ticket.rated",
        subjectType: "ticket",
        subjectId: ticket.id,
        data: { rating: input.good ? "good" : "bad" },
        ip: ctx.ip,
      },
      now,
      rated,
    ),
    ctx.db
      .update(tickets)
      .set({ rating: input.good ? "good" : "bad", ratingComment: comment || null })
      .where(and(eq(tickets.id, ticket.id), inArray(tickets.state, ["solved", "closed"]))),
  ]);
  if (updated.meta.changes === 0) throw ValidationError.field("rating", "You can rate a request once it is solved.");
  return requireRequesterTicket(ctx, ticket.id, input.accessToken);
}
