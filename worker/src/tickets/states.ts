import type { TicketState } from "./tickets.table";

/**
 * Zendesk's ticket states, and who may move a ticket between them. Every change is one
 * conditional UPDATE whose WHERE lists the states it may come from (`fromStates`), so when a
 * requester and an agent act at once, D1 decides which one applied.
 *
 * - staff set a state: any of new, open, pending or solved to another of open, pending or
 *   solved (never back to new; closed only comes from the automatic close).
 * - staff reply: a new ticket becomes open; any other stays as it is.
 * - requester reply: pending or solved reopens; new and open stay. A closed ticket takes no
 *   reply: the reply starts a follow-up ticket instead.
 * - requester solve: new, open or pending becomes solved.
 * - auto-close: solved becomes closed once it has been solved for AUTO_CLOSE_DAYS.
 */
export type TicketEvent =
  | { kind: "staff-set"; to: TicketState }
  | { kind: "staff-reply" }
  | { kind: "requester-reply" }
  | { kind: "requester-solve" }
  | { kind: "auto-close" };

export const AUTO_CLOSE_DAYS = 4;

const STAFF_TARGETS: readonly TicketState[] = ["open", "pending", "solved"];
const LIVE: readonly TicketState[] = ["new", "open", "pending", "solved"];

/** The state `event` moves a ticket in `from` to, or null when the event is refused there. */
export function nextState(from: TicketState, event: TicketEvent): TicketState | null {
  switch (event.kind) {
    case "staff-set":
      return STAFF_TARGETS.includes(event.to) && LIVE.includes(from) && from !== event.to ? event.to : null;
    case "staff-reply":
      return from === "closed" ? null : from === "new" ? "open" : from;
    case "requester-reply":
      if (from === "closed") return null;
      return from === "pending" || from === "solved" ? "open" : from;
    case "requester-solve":
      return from === "new" || from === "open" || from === "pending" ? "solved" : null;
    case "auto-close":
      return from === "solved" ? "closed" : null;
  }
}

/** The states `event` may start from and where each goes, for the conditional UPDATE. */
export function transitionsOf(event: TicketEvent): { from: TicketState; to: TicketState }[] {
  const all: TicketState[] = ["new", "open", "pending", "solved", "closed"];
  return all.flatMap((from) => {
    const to = nextState(from, event);
    return to ? [{ from, to }] : [];
  });
}
