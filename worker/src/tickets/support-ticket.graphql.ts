import { CodeSent } from "../accounts/accounts.graphql";
import { getUserById } from "../accounts/accounts.service";
import { builder } from "../graphql/builder";
import { InvalidCodeError, NotFoundError, RateLimitedError } from "../lib/errors";
import { TicketStateEnum, TicketTopicEnum } from "./ticket-enums.graphql";
import {
  confirmTicketRequest,
  getRequesterTicket,
  listMyTickets,
  publicComments,
  rateTicket,
  replyAsRequester,
  requestTicketCode,
  solveAsRequester,
  submitTicket,
} from "./tickets.service";
import type { Ticket, TicketComment } from "./tickets.table";

// What a requester sees of their tickets. No field here can reach an internal note: the
// conversation comes from `publicComments`, which filters them out in SQL.

export const SupportTicketCommentType = builder.objectRef<TicketComment>("SupportTicketComment").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    fromSupport: t.boolean({ resolve: (c) => c.authorRole === "staff" }),
    authorName: t.string({
      description: "A staff member's first name, or the requester's name (“You” when signed out).",
      resolve: async (c, _a, ctx) => (c.authorUserId ? ((await getUserById(ctx, c.authorUserId))?.firstName ?? "") : "You"),
    }),
    bodyHtml: t.exposeString("bodyHtml", { description: "Allow-listed HTML rendered from the Markdown." }),
    createdAt: t.field({ type: "DateTime", resolve: (c) => c.createdAt }),
  }),
});

export const SupportTicketType = builder.objectRef<Ticket>("SupportTicket").implement({
  description: "A support request, as its requester sees it.",
  fields: (t) => ({
    id: t.exposeID("id"),
    subject: t.exposeString("subject"),
    topic: t.field({ type: TicketTopicEnum, resolve: (r) => r.topic }),
    state: t.field({ type: TicketStateEnum, resolve: (r) => r.state }),
    rating: t.string({ nullable: true, resolve: (r) => r.rating }),
    ratingComment: t.exposeString("ratingComment", { nullable: true }),
    followUpOfId: t.exposeID("followUpOfId", { nullable: true }),
    createdAt: t.field({ type: "DateTime", resolve: (r) => r.createdAt }),
    updatedAt: t.field({ type: "DateTime", resolve: (r) => r.updatedAt }),
    comments: t.field({ type: [SupportTicketCommentType], resolve: (r, _a, ctx) => publicComments(ctx, r.id) }),
  }),
});

const ReplyOutcome = builder.objectRef<{ ticket: Ticket; followUp: boolean }>("SupportReplySent").implement({
  fields: (t) => ({
    ticket: t.field({ type: SupportTicketType, resolve: (o) => o.ticket }),
    followUp: t.exposeBoolean("followUp", { description: "The ticket was closed: the reply started this follow-up." }),
  }),
});

const ACCESS_TOKEN = {
  required: false,
  description: "The token of the ticket's emailed link, when not signed in as its requester.",
} as const;

builder.queryFields((t) => ({
  myTickets: t.withAuth({ signedIn: true }).field({
    type: [SupportTicketType],
    description: "My Tickets: requests filed as me or at one of my verified addresses.",
    resolve: (_r, _a, ctx) => listMyTickets(ctx, ctx.user),
  }),
  supportTicket: t.field({
    type: SupportTicketType,
    nullable: true,
    description: "One of my requests, signed in or through its emailed link; null for any other.",
    args: { id: t.arg.id(), accessToken: t.arg.string(ACCESS_TOKEN) },
    resolve: (_r, args, ctx) => getRequesterTicket(ctx, String(args.id), args.accessToken),
  }),
}));

const requestArgs = (t: Parameters<Parameters<typeof builder.mutationFields>[0]>[0]) => ({
  subject: t.arg.string(),
  description: t.arg.string({ description: "Markdown." }),
  topic: t.arg({ type: TicketTopicEnum }),
  sourcePage: t.arg.string({ required: false, description: "The Laurel path the request was started from." }),
});

builder.mutationFields((t) => ({
  submitSupportRequest: t.withAuth({ signedIn: true }).field({
    type: SupportTicketType,
    description: "Submit a request, signed in.",
    errors: { types: [RateLimitedError] },
    args: requestArgs(t),
    resolve: (_r, args, ctx) => submitTicket(ctx, ctx.user, args),
  }),
  requestSupportCode: t.field({
    type: CodeSent,
    description: "Submit a request signed out: emails a code to confirm the address (the same answer for every address).",
    errors: { types: [RateLimitedError] },
    args: { ...requestArgs(t), email: t.arg.string(), turnstileToken: t.arg.string({ required: false }) },
    resolve: (_r, args, ctx) => requestTicketCode(ctx, args),
  }),
  confirmSupportRequest: t.field({
    type: CodeSent,
    description: "The emailed code files the request; its link is emailed to the address.",
    errors: { types: [InvalidCodeError, RateLimitedError] },
    args: { email: t.arg.string(), code: t.arg.string() },
    resolve: (_r, args, ctx) => confirmTicketRequest(ctx, args),
  }),
  replyToSupportTicket: t.field({
    type: ReplyOutcome,
    errors: { types: [NotFoundError, RateLimitedError] },
    args: { id: t.arg.id(), accessToken: t.arg.string(ACCESS_TOKEN), body: t.arg.string({ description: "Markdown." }) },
    resolve: (_r, args, ctx) => replyAsRequester(ctx, { ticketId: String(args.id), accessToken: args.accessToken, body: args.body }),
  }),
  solveSupportTicket: t.field({
    type: SupportTicketType,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id(), accessToken: t.arg.string(ACCESS_TOKEN) },
    resolve: (_r, args, ctx) => solveAsRequester(ctx, { ticketId: String(args.id), accessToken: args.accessToken }),
  }),
  rateSupportTicket: t.field({
    type: SupportTicketType,
    description: "Once solved: was the support good or bad, with an optional comment.",
    errors: { types: [NotFoundError] },
    args: {
      id: t.arg.id(),
      accessToken: t.arg.string(ACCESS_TOKEN),
      good: t.arg.boolean(),
      comment: t.arg.string({ required: false }),
    },
    resolve: (_r, args, ctx) =>
      rateTicket(ctx, { ticketId: String(args.id), accessToken: args.accessToken, good: args.good, comment: args.comment }),
  }),
}));
