import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { insertWhere, rowExists } from "../db/conditional";
import { emailIntent } from "../email/queued-email";
import { randomToken, sha256Hex } from "../lib/crypto";
import { newId } from "../lib/ids";
import { renderMarkdown } from "../lib/markdown";
import { type TicketEvent, transitionsOf } from "./states";
import { ticketReplyEmail, ticketUrl } from "./tickets.emails";
import { type Ticket, type TicketState, ticketComments, ticketLinks, tickets } from "./tickets.table";

type Db = AppContext["db"];

/** "This ticket is in one of `states`", the guard every conditional statement of a change shares. */
export const ticketIn = (db: Db, ticketId: string, states: readonly TicketState[]): SQL =>
  rowExists(db, tickets, and(eq(tickets.id, ticketId), inArray(tickets.state, [...states]))) as SQL;

/**
 * The statements of `event` on a ticket, for one batch: an audit row for each real change
 * (each guarded by the state it starts from, so exactly one can be written, and only if the
 * UPDATE will apply), then the UPDATE itself, whose WHERE names the states it may start from.
 * `guard` is what other statements of the batch (comments, emails) write under.
 */
export function transitionStatements(
  db: Db,
  ticket: Pick<Ticket, "id">,
  event: TicketEvent,
  actor: { userId: string | null; ip?: string | null },
  now: number,
) {
  const moves = transitionsOf(event);
  const from = moves.map((m) => m.from);
  const guard = ticketIn(db, ticket.id, from);
  const audits = moves
    .filter((m) => m.from !== m.to)
    .map((m) =>
      auditInsertWhere(
        db,
        {
          actorUserId: actor.userId,
          action: "ticket.state-changed",
          subjectType: "ticket",
          subjectId: ticket.id,
          data: { from: m.from, to: m.to, event: event.kind },
          ip: actor.ip ?? null,
        },
        now,
        ticketIn(db, ticket.id, [m.from]),
      ),
    );
  const cases = sql.join(
    moves.map((m) => sql`WHEN ${m.from} THEN ${m.to}`),
    sql` `,
  );
  const becomesSolved = moves.some((m) => m.to === "solved" && m.from !== "solved");
  const update = db
    .update(tickets)
    .set({
      state: sql`CASE ${tickets.state} ${cases} ELSE ${tickets.state} END`,
      updatedAt: new Date(now),
      ...(becomesSolved ? { solvedAt: sql`CASE WHEN ${tickets.state} = 'solved' THEN ${tickets.solvedAt} ELSE ${now} END` } : {}),
    })
    .where(and(eq(tickets.id, ticket.id), inArray(tickets.state, from)));
  return { guard, audits, update };
}

/** A comment written only if `guard` holds when the batch runs; its Markdown rendered by the allow-list. */
export function commentInsert(
  db: Db,
  ticketId: string,
  author: { userId: string | null; role: "requester" | "staff" },
  input: { body: string; public: boolean },
  now: number,
  guard: SQL,
) {
  const id = newId();
  const rendered = renderMarkdown(input.body);
  const statement = insertWhere(
    db,
    ticketComments,
    {
      id,
      ticketId,
      authorUserId: author.userId,
      authorRole: author.role,
      public: input.public,
      bodyMarkdown: input.body,
      bodyHtml: rendered.html,
      createdAt: new Date(now),
    },
    guard,
  );
  return { id, statement, text: rendered.text };
}

/**
 * A fresh secret link to the ticket (256 bits, stored as its SHA-256), written under `guard`:
 * each email gets its own, as the token itself is never kept.
 */
export async function newTicketLink(db: Db, appUrl: string, ticketId: string, now: number, guard?: SQL) {
  const token = randomToken(32);
  const row = { tokenHash: await sha256Hex(token), ticketId, createdAt: new Date(now) };
  const statement = guard ? insertWhere(db, ticketLinks, row, guard) : db.insert(ticketLinks).values(row);
  return { url: ticketUrl(appUrl, ticketId, token), statement };
}

/** The email of a public reply, with its own link, written only if the reply is. */
export async function replyEmailStatements(
  ctx: Pick<AppContext, "db" | "config">,
  ticket: Ticket,
  replyText: string,
  now: number,
  guard: SQL,
) {
  const link = await newTicketLink(ctx.db, ctx.config.appUrl, ticket.id, now, guard);
  const mail = await emailIntent(ctx, ticketReplyEmail(ticket.requesterEmail, ticket.subject, link.url, replyText), now, {
    when: guard,
  });
  return { statements: [link.statement, mail.statement], mailId: mail.id };
}
