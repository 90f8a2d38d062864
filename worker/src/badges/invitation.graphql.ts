import type { AppContext } from "../context";
import { builder } from "../graphql/builder";
import { ErrorInterface } from "../graphql/errors.graphql";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { InvitationAddressError, InvitationUnavailableError, UNAVAILABLE_REASONS } from "./invitation-errors";
import {
  acceptIssuerInvitation,
  declineIssuerInvitation,
  getInvitationByToken,
  inviteIssuerMember,
  linkState,
  listPendingInvitations,
  resendIssuerInvitation,
  revokeIssuerInvitation,
} from "./invitations.service";
import { INVITATION_STATUSES, type IssuerInvitation } from "./invitations.table";
import { IssuerRoleEnum, IssuerType, issuerOnly } from "./issuer.graphql";

// Invitations to act for an issuer: what owners send and see, and what the link's holder sees.

const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v.toUpperCase().replaceAll("-", "_"), { value: v }])) as Record<string, { value: T }>;

const ReasonEnum = builder.enumType("InvitationUnavailableReason", { values: enumOf(UNAVAILABLE_REASONS) });
const StateEnum = builder.enumType("InvitationState", { values: enumOf([...INVITATION_STATUSES, "expired"] as const) });

builder.objectType(InvitationUnavailableError, {
  name: "InvitationUnavailableError",
  description: "The invitation link cannot be used (any more); `reason` says why.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ reason: t.field({ type: ReasonEnum, resolve: (e) => e.reason }) }),
});

builder.objectType(InvitationAddressError, {
  name: "InvitationAddressError",
  description: "The signed-in account does not hold the invited address as a verified email.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ email: t.exposeString("email"), awaitingCode: t.exposeBoolean("awaitingCode") }),
});

const PendingInvitationType = builder.objectRef<IssuerInvitation>("IssuerInvitation").implement({
  description: "A pending invitation, by address only: whether the address has an account is not known until someone accepts.",
  fields: (t) => ({
    id: t.exposeID("id"),
    email: t.exposeString("email"),
    role: t.field({ type: IssuerRoleEnum, resolve: (i) => i.role }),
    sentAt: t.field({ type: "DateTime", resolve: (i) => i.sentAt }),
    expiresAt: t.field({ type: "DateTime", resolve: (i) => i.expiresAt }),
    expired: t.boolean({ resolve: (i, _a, ctx) => i.expiresAt.getTime() <= ctx.now() }),
  }),
});

const InvitationType = builder.objectRef<IssuerInvitation>("Invitation").implement({
  description: "An invitation as its link's holder sees it.",
  fields: (t) => ({
    issuer: t.field({ type: IssuerType, resolve: (i) => i.issuerId }),
    email: t.exposeString("email", { description: "The address invited: accepting needs an account that has it verified." }),
    role: t.field({ type: IssuerRoleEnum, resolve: (i) => i.role }),
    state: t.field({ type: StateEnum, resolve: (i, _a, ctx) => linkState(i, ctx.now()) }),
    expiresAt: t.field({ type: "DateTime", resolve: (i) => i.expiresAt }),
  }),
});

builder.objectField(IssuerType, "invitations", (t) =>
  t.loadableGroup({
    type: PendingInvitationType,
    description: "Pending invitations, expired ones included. Owners only; anyone else gets a FORBIDDEN error.",
    ...issuerOnly("manage-members", "Only the issuer's owners see its invitations."),
    load: (issuerIds: string[], ctx: AppContext) => listPendingInvitations(ctx, issuerIds),
    group: (invitation) => invitation.issuerId,
    resolve: (issuer) => issuer.id,
  }),
);

builder.queryFields((t) => ({
  invitation: t.field({
    type: InvitationType,
    nullable: true,
    description: "The invitation an emailed link's token names, signed in or not; null when it names none.",
    args: { token: t.arg.string() },
    resolve: (_r, { token }, ctx) => getInvitationByToken(ctx, token),
  }),
}));

builder.mutationFields((t) => ({
  inviteIssuerMember: t.withAuth({ signedIn: true }).field({
    type: PendingInvitationType,
    description:
      "Emails an invitation to act for the issuer in `role`, replacing a pending one to the same address. The answer is the same whether or not the address has a Laurel account. Owners only.",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { issuerId: t.arg.id(), email: t.arg.string(), role: t.arg({ type: IssuerRoleEnum }) },
    resolve: (_r, args, ctx) => inviteIssuerMember(ctx, ctx.user, { issuerId: String(args.issuerId), email: args.email, role: args.role }),
  }),
  resendIssuerInvitation: t.withAuth({ signedIn: true }).field({
    type: PendingInvitationType,
    description: "Emails a new link, valid for another week; the previous link stops working. Owners only.",
    errors: { types: [NotFoundError, ForbiddenError, InvitationUnavailableError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => resendIssuerInvitation(ctx, ctx.user, String(id)),
  }),
  revokeIssuerInvitation: t.withAuth({ signedIn: true }).field({
    type: IssuerType,
    description: "Withdraws a pending invitation; its link stops working. Owners only.",
    errors: { types: [NotFoundError, ForbiddenError, InvitationUnavailableError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => revokeIssuerInvitation(ctx, ctx.user, String(id)),
  }),
  acceptIssuerInvitation: t.withAuth({ signedIn: true }).field({
    type: IssuerType,
    description: "Joins the issuer in the invited role. The signed-in account must hold the invited address as a verified email.",
    errors: { types: [InvitationUnavailableError, InvitationAddressError] },
    args: { token: t.arg.string() },
    resolve: (_r, { token }, ctx) => acceptIssuerInvitation(ctx, ctx.user, token),
  }),
  declineIssuerInvitation: t.field({
    type: InvitationType,
    description: "Declines the invitation; whoever holds the link may, signed in or not.",
    errors: { types: [InvitationUnavailableError] },
    args: { token: t.arg.string() },
    resolve: (_r, { token }, ctx) => declineIssuerInvitation(ctx, token),
  }),
}));
