import { builder } from "../graphql/builder";
import { TICKET_STATES, TICKET_TOPICS } from "./tickets.table";

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v.toUpperCase().replaceAll("-", "_"), { value: v }])) as Record<string, { value: T }>;

export const TicketStateEnum = builder.enumType("TicketState", {
  description: "As in Zendesk: new, open, pending (waiting on the requester), solved, closed (no more replies).",
  values: enumOf(TICKET_STATES),
});

export const TicketTopicEnum = builder.enumType("TicketTopic", { values: enumOf(TICKET_TOPICS) });
