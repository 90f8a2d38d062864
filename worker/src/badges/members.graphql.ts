import type { AppContext } from "../context";
import { builder } from "../graphql/builder";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { IssuerRoleEnum, IssuerType, issuerOnly } from "./issuer.graphql";
import { listMembersOfIssuers, type MemberListing, removeIssuerMember, setIssuerMember } from "./issuers.service";

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
  setIssuerMember: t.withAuth({ signedIn: true }).field({
    type: IssuerType,
    description: "Adds a member by the email of their Laurel account, or changes their role. Owners only.",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { issuerId: t.arg.id(), email: t.arg.string(), role: t.arg({ type: IssuerRoleEnum }) },
    resolve: async (_r, args, ctx) => {
      await setIssuerMember(ctx, ctx.user, { issuerId: String(args.issuerId), email: args.email, role: args.role });
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
