import { GraphQLError } from "graphql";
import { builder } from "../graphql/builder";
import { ValidationError } from "../lib/errors";
import { AwardType } from "./award.graphql";
import { getOwnAward } from "./awards.service";
import { listBackpack } from "./backpack.service";
import { BadgeClassType } from "./badge-class.graphql";
import { IssuerType } from "./issuer.graphql";

// A learner's badges: every award to one of their verified emails.

const BackpackFilterEnum = builder.enumType("BackpackFilter", {
  values: { ALL: { value: "all" }, ACTIVE: { value: "active" }, EXPIRED: { value: "expired" } } as const,
});

const BackpackType = builder.objectRef<Awaited<ReturnType<typeof listBackpack>>>("BackpackPage").implement({
  fields: (t) => ({
    items: t.field({
      type: [AwardType],
      // The page's query already read each card's badge class and issuer: handing them to the
      // request's loaders keeps a backpack page at one D1 query, not one more per level.
      resolve: (p, _a, ctx) => {
        const classLoader = BadgeClassType.getDataloader(ctx);
        for (const badgeClass of p.badgeClasses) classLoader.prime(badgeClass.id, badgeClass);
        const issuerLoader = IssuerType.getDataloader(ctx);
        for (const issuer of p.issuers) issuerLoader.prime(issuer.id, issuer);
        return p.items;
      },
    }),
    endCursor: t.exposeString("endCursor", { nullable: true }),
    hasNextPage: t.exposeBoolean("hasNextPage"),
  }),
});

builder.queryFields((t) => ({
  backpack: t.withAuth({ actor: "backpack:read" }).field({
    type: BackpackType,
    description: "Badges awarded to any of your verified emails, newest first.",
    args: {
      filter: t.arg({ type: BackpackFilterEnum, required: false, defaultValue: "all" }),
      includeHidden: t.arg.boolean({ required: false, defaultValue: false }),
      first: t.arg.int({ required: false, defaultValue: 24 }),
      after: t.arg.string({ required: false }),
    },
    resolve: (_r, args, ctx) =>
      listBackpack(ctx, ctx.user, {
        filter: args.filter ?? "all",
        includeHidden: args.includeHidden ?? false,
        first: args.first ?? 24,
        after: args.after,
      }).catch((error) => {
        // A query has no result union: a bad cursor is the client's mistake, reported as such.
        if (error instanceof ValidationError) throw new GraphQLError(error.message, { extensions: { code: "BAD_USER_INPUT" } });
        throw error;
      }),
  }),
  backpackBadge: t.withAuth({ actor: "backpack:read" }).field({
    type: AwardType,
    nullable: true,
    args: { id: t.arg.id() },
    resolve: async (_r, { id }, ctx) => {
      const award = await getOwnAward(ctx, ctx.user, String(id));
      return award && !award.revokedAt ? award : null;
    },
  }),
}));
