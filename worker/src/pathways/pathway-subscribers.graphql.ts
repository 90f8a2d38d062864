import { GraphQLError } from "graphql";
import { myRoleIn } from "../badges/issuer.graphql";
import { roleAllows } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { builder } from "../graphql/builder";
import { ErrorInterface } from "../graphql/errors.graphql";
import { ForbiddenError, NotFoundError, RateLimitedError } from "../lib/errors";
import { InvitationListRejectedError, inviteToPathway, listInvitations } from "./invitations.service";
import { PathwayType } from "./pathway.graphql";
import { PATHWAY_INVITATION_STATES, type Pathway, type PathwayInvitation } from "./pathways.table";
import { type SubscriberProgress, subscribersProgress } from "./progress.service";

// The issuer's side of a pathway's learners: invitations, subscribers and their progress.

/** Only the issuer's owners and editors see who follows a pathway. */
const editorsOnly = {
  authScopes: async (pathway: Pathway, _args: unknown, ctx: AppContext) =>
    ctx.user !== null && roleAllows(await myRoleIn(ctx, pathway.issuerId), "edit"),
  unauthorizedError: (_parent: unknown, _args: unknown, ctx: AppContext) =>
    ctx.user
      ? new GraphQLError("Only the issuer's owners and editors see a pathway's learners.", { extensions: { code: "FORBIDDEN" } })
      : new GraphQLError("Sign in to continue.", { extensions: { code: "UNAUTHENTICATED" } }),
};

const SubscriberType = builder.objectRef<SubscriberProgress>("PathwaySubscriber").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    email: t.exposeString("email", { description: "The learner's primary email." }),
    subscribedAt: t.field({ type: "DateTime", resolve: (s) => s.subscribedAt }),
    met: t.boolean({ description: "Meets the whole pathway now.", resolve: (s) => s.root.met }),
    stepsDone: t.int({ resolve: (s) => s.root.done }),
    stepsRequired: t.int({ resolve: (s) => s.root.required }),
    completedAt: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.completedAt }),
    completionAwardId: t.id({ nullable: true, resolve: (s) => s.completionAwardId }),
    noLongerQualifies: t.boolean({
      description: "Completed, but a required badge was revoked or expired since. The completion badge stays until you revoke it.",
      resolve: (s) => s.noLongerQualifies,
    }),
  }),
});

const SubscribersPageType = builder.objectRef<Awaited<ReturnType<typeof subscribersProgress>>>("PathwaySubscribersPage").implement({
  fields: (t) => ({
    items: t.field({ type: [SubscriberType], resolve: (p) => p.items }),
    total: t.exposeInt("total"),
    completed: t.exposeInt("completed", { description: "Subscribers whose completion of the whole pathway is recorded." }),
    noLongerQualifying: t.exposeInt("noLongerQualifying", { description: "On this page." }),
  }),
});

const InvitationStateEnum = builder.enumType("PathwayInvitationState", {
  values: Object.fromEntries(PATHWAY_INVITATION_STATES.map((s) => [s.toUpperCase(), { value: s }])) as Record<
    "PENDING" | "ACCEPTED" | "DECLINED",
    { value: (typeof PATHWAY_INVITATION_STATES)[number] }
  >,
});

const PathwayInvitationType = builder.objectRef<PathwayInvitation>("PathwayInvitation").implement({
  description: "An invitation by address only: whether the address has an account is not shown.",
  fields: (t) => ({
    id: t.exposeID("id"),
    email: t.exposeString("email"),
    state: t.field({ type: InvitationStateEnum, resolve: (i) => i.state }),
    createdAt: t.field({ type: "DateTime", resolve: (i) => i.createdAt }),
    answeredAt: t.field({ type: "DateTime", nullable: true, resolve: (i) => i.answeredAt }),
  }),
});

const InvitationsPageType = builder.objectRef<Awaited<ReturnType<typeof listInvitations>>>("PathwayInvitationsPage").implement({
  fields: (t) => ({
    items: t.field({ type: [PathwayInvitationType], resolve: (p) => p.items }),
    pending: t.exposeInt("pending"),
    accepted: t.exposeInt("accepted"),
    declined: t.exposeInt("declined"),
  }),
});

builder.objectFields(PathwayType, (t) => ({
  subscribers: t.field({
    type: SubscribersPageType,
    ...editorsOnly,
    args: { first: t.arg.int({ required: false, defaultValue: 50 }), offset: t.arg.int({ required: false, defaultValue: 0 }) },
    resolve: (p, args, ctx) => subscribersProgress(ctx, p, { limit: args.first ?? 50, offset: args.offset ?? 0 }),
  }),
  invitations: t.field({
    type: InvitationsPageType,
    ...editorsOnly,
    args: { first: t.arg.int({ required: false, defaultValue: 50 }), offset: t.arg.int({ required: false, defaultValue: 0 }) },
    resolve: (p, args, ctx) => listInvitations(ctx, p, { limit: args.first ?? 50, offset: args.offset ?? 0 }),
  }),
}));

const RowProblemType = builder.objectRef<{ line: number; field: string; message: string }>("InvitationRowProblem").implement({
  fields: (t) => ({ line: t.exposeInt("line"), field: t.exposeString("field"), message: t.exposeString("message") }),
});

builder.objectType(InvitationListRejectedError, {
  name: "InvitationListRejectedError",
  description: "Some addresses are not valid; nobody was invited.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ problems: t.field({ type: [RowProblemType], resolve: (e) => e.rows }) }),
});

const InvitationReportType = builder.objectRef<Awaited<ReturnType<typeof inviteToPathway>>>("PathwayInvitationReport").implement({
  fields: (t) => ({
    addresses: t.exposeInt("addresses"),
    invited: t.exposeInt("invited"),
    alreadyInvited: t.exposeInt("alreadyInvited", { description: "Addresses invited before: not emailed again." }),
  }),
});

builder.mutationFields((t) => ({
  inviteToPathway: t.withAuth({ signedIn: true }).field({
    type: InvitationReportType,
    description:
      "Invites addresses to a published pathway: a list, or a CSV with an email column (file or text). All or none; inviting an address again does nothing.",
    errors: { types: [NotFoundError, ForbiddenError, InvitationListRejectedError, RateLimitedError] },
    args: {
      pathwayId: t.arg.id(),
      emails: t.arg.stringList({ required: false }),
      csv: t.arg.string({ required: false }),
      file: t.arg({ type: "File", required: false }),
    },
    resolve: async (_r, args, ctx) =>
      inviteToPathway(ctx, ctx.user, String(args.pathwayId), {
        emails: args.emails ?? null,
        csv: args.file ? await args.file.text() : (args.csv ?? null),
      }),
  }),
}));
