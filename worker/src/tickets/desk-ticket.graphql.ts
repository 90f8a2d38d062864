import { EmailType, UserType } from "../accounts/accounts.graphql";
import { getUserById } from "../accounts/accounts.service";
import type { User } from "../accounts/accounts.table";
import { builder } from "../graphql/builder";
import { NotFoundError } from "../lib/errors";
import { SsoIdentityType } from "../sso/sso.graphql";
import {
  accountSummary,
  allComments,
  assignTicket,
  getTicket,
  listQueue,
  listStaffUsers,
  replyAsStaff,
  requesterAccount,
  resetRequesterMfa,
  setTicketState,
} from "./desk.service";
import { TicketStateEnum, TicketTopicEnum } from "./ticket-enums.graphql";
import type { Ticket, TicketComment } from "./tickets.table";

// The staff desk: every field is behind the `staff` scope (a staff user in a browser session).

const DeskCommentType = builder.objectRef<TicketComment>("DeskTicketComment").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    internal: t.boolean({ description: "An internal note: never shown to the requester.", resolve: (c) => !c.public }),
    fromSupport: t.boolean({ resolve: (c) => c.authorRole === "staff" }),
    authorName: t.string({
      resolve: async (c, _a, ctx) => {
        const author = c.authorUserId ? await getUserById(ctx, c.authorUserId) : null;
        return author ? `${author.firstName} ${author.lastName}` : "Requester (signed out)";
      },
    }),
    bodyHtml: t.exposeString("bodyHtml"),
    createdAt: t.field({ type: "DateTime", resolve: (c) => c.createdAt }),
  }),
});

type Summary = Awaited<ReturnType<typeof accountSummary>>;

const RequesterAccountType = builder.objectRef<Summary>("DeskRequesterAccount").implement({
  description: "The account behind a ticket, as the desk shows it beside the conversation.",
  fields: (t) => ({
    user: t.field({ type: UserType, resolve: (s) => s.user }),
    status: t.string({ resolve: (s) => s.user.status }),
    emails: t.field({ type: [EmailType], resolve: (s) => s.emails }),
    mfaEnabledAt: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.mfaEnabledAt }),
    ssoIdentities: t.field({ type: [SsoIdentityType], resolve: (s) => s.identities }),
  }),
});

const StaffMemberType = builder.objectRef<Pick<User, "id" | "firstName" | "lastName">>("DeskStaffMember").implement({
  fields: (t) => ({ id: t.exposeID("id"), name: t.string({ resolve: (u) => `${u.firstName} ${u.lastName}` }) }),
});

const DeskTicketType = builder.objectRef<Ticket>("DeskTicket").implement({
  description: "A ticket as staff see it: internal notes included.",
  fields: (t) => ({
    id: t.exposeID("id"),
    subject: t.exposeString("subject"),
    topic: t.field({ type: TicketTopicEnum, resolve: (r) => r.topic }),
    state: t.field({ type: TicketStateEnum, resolve: (r) => r.state }),
    requesterEmail: t.exposeString("requesterEmail"),
    signedInWhenFiled: t.boolean({ resolve: (r) => r.requesterUserId !== null }),
    sourcePage: t.exposeString("sourcePage", { nullable: true }),
    followUpOfId: t.exposeID("followUpOfId", { nullable: true }),
    rating: t.string({ nullable: true, resolve: (r) => r.rating }),
    ratingComment: t.exposeString("ratingComment", { nullable: true }),
    createdAt: t.field({ type: "DateTime", resolve: (r) => r.createdAt }),
    updatedAt: t.field({ type: "DateTime", resolve: (r) => r.updatedAt }),
    assignee: t.field({
      type: StaffMemberType,
      nullable: true,
      resolve: (r, _a, ctx) => (r.assigneeUserId ? getUserById(ctx, r.assigneeUserId) : null),
    }),
    comments: t.field({ type: [DeskCommentType], resolve: (r, _a, ctx) => allComments(ctx, r.id) }),
    requesterAccount: t.field({
      type: RequesterAccountType,
      nullable: true,
      description: "Null when no account uses the requester's address.",
      resolve: async (r, _a, ctx) => {
        const account = await requesterAccount(ctx, r);
        return account ? accountSummary(ctx, account) : null;
      },
    }),
  }),
});

builder.queryFields((t) => ({
  deskTickets: t.withAuth({ staff: true }).field({
    type: [DeskTicketType],
    description: "The queue (staff only): new, open and pending unless a state is given; oldest activity first.",
    args: {
      state: t.arg({ type: TicketStateEnum, required: false }),
      topic: t.arg({ type: TicketTopicEnum, required: false }),
      assignee: t.arg.string({ required: false, description: "A staff user's id, or `none` for the unassigned." }),
    },
    resolve: (_r, args, ctx) => listQueue(ctx, args),
  }),
  deskTicket: t.withAuth({ staff: true }).field({
    type: DeskTicketType,
    nullable: true,
    args: { id: t.arg.id() },
    resolve: (_r, args, ctx) => getTicket(ctx, String(args.id)),
  }),
  deskStaff: t.withAuth({ staff: true }).field({
    type: [StaffMemberType],
    description: "Who a ticket can be assigned to.",
    resolve: (_r, _a, ctx) => listStaffUsers(ctx),
  }),
}));

builder.mutationFields((t) => ({
  replyToDeskTicket: t.withAuth({ staff: true }).field({
    type: DeskTicketType,
    description: "A public reply (emailed to the requester) or an internal note; `state` optionally set in the same change.",
    errors: { types: [NotFoundError] },
    args: {
      id: t.arg.id(),
      body: t.arg.string({ description: "Markdown." }),
      internal: t.arg.boolean(),
      state: t.arg({ type: TicketStateEnum, required: false }),
    },
    resolve: (_r, args, ctx) =>
      replyAsStaff(ctx, ctx.user, { ticketId: String(args.id), body: args.body, internal: args.internal, state: args.state }),
  }),
  setDeskTicketState: t.withAuth({ staff: true }).field({
    type: DeskTicketType,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id(), state: t.arg({ type: TicketStateEnum }) },
    resolve: (_r, args, ctx) => setTicketState(ctx, ctx.user, { ticketId: String(args.id), state: args.state }),
  }),
  assignDeskTicket: t.withAuth({ staff: true }).field({
    type: DeskTicketType,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id(), assigneeId: t.arg.id({ required: false }) },
    resolve: (_r, args, ctx) =>
      assignTicket(ctx, ctx.user, { ticketId: String(args.id), assigneeId: args.assigneeId ? String(args.assigneeId) : null }),
  }),
  resetTicketRequesterMfa: t.withAuth({ staff: true }).field({
    type: UserType,
    description: "The staff MFA reset for this ticket's requester; the audit entry names the ticket.",
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id(), reason: t.arg.string() },
    resolve: (_r, args, ctx) => resetRequesterMfa(ctx, ctx.user, { ticketId: String(args.id), reason: args.reason }),
  }),
}));
