import type { AppContext } from "../context";
import { builder } from "../graphql/builder";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { IssuerRoleEnum, IssuerType, issuerOnly } from "./issuer.graphql";
import { listMembersOfIssuers, type MemberListing, removeIssuerMember, setIssuerMemberRole } from "./issuers.service";

// Who may act for an issuer, and owners' changes to that.

const MemberType = builder.objectRef<MemberListing>("IssuerMember").implement({
  fields: (t) => ({
    userId: t.exposeID("userId"),
    name: t.exposeString("name"),
    role: t.field({ type: IssuerRoleEnum, resolve: (m) => m.role }),
  }),
});

builder.objectField(IssuerType, "members", (t) =>
  t.loadableGroup({
    type: MemberType,
    description: "Owners only; anyone else gets a FORBIDDEN error.",
    ...issuerOnly("manage-members", "Only the issuer's owners see its members."),
    load: (issuerIds: string[], ctx: AppContext) => listMembersOfIssuers(ctx, issuerIds),
    group: (member) => member.issuerId,
    resolve: (issuer) => issuer.id,
  }),
);

builder.mutationFields((t) => ({
  setIssuerMemberRole: t.withAuth({ signedIn: true }).field({
    type: IssuerType,
    description:
      "Changes a member's role; an issuer keeps at least one owner. Owners only. New members join by invitation (inviteIssuerMember).",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { issuerId: t.arg.id(), userId: t.arg.id(), role: t.arg({ type: IssuerRoleEnum }) },
    resolve: async (_r, args, ctx) => {
      await setIssuerMemberRole(ctx, ctx.user, { issuerId: String(args.issuerId), userId: String(args.userId), role: args.role });
      return IssuerType.getDataloader(ctx).load(String(args.issuerId));
    },
  }),
  removeIssuerMember: t.withAuth({ signedIn: true }).field({
    type: IssuerType,
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { issuerId: t.arg.id(), userId: t.arg.id() },
    resolve: async (_r, args, ctx) => {
      await removeIssuerMember(ctx, ctx.user, { issuerId: String(args.issuerId), userId: String(args.userId) });
      return IssuerType.getDataloader(ctx).load(String(args.issuerId));
    },
  }),
}));
