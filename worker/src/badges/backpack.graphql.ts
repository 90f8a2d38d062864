import { GraphQLError } from "graphql";
import { builder } from "../graphql/builder";
import { ValidationError } from "../lib/errors";
import { AwardType } from "./award.graphql";
import { getOwnAward } from "./awards.service";
import { listBackpack } from "./backpack.service";

// A learner's badges: every award to one of their verified emails.

const BackpackFilterEnum = builder.enumType("BackpackFilter", {
  values: { ALL: { value: "all" }, ACTIVE: { value: "active" }, EXPIRED: { value: "expired" } } as const,
});

const BackpackType = builder.objectRef<Awaited<ReturnType<typeof listBackpack>>>("BackpackPage").implement({
  fields: (t) => ({
    items: t.field({ type: [AwardType], resolve: (p) => p.items }),
    endCursor: t.exposeString("endCursor", { nullable: true }),
    hasNextPage: t.exposeBoolean("hasNextPage"),
  }),
});

builder.queryFields((t) => ({
  backpack: t.withAuth({ signedIn: true }).field({
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
  backpackBadge: t.withAuth({ signedIn: true }).field({
    type: AwardType,
    nullable: true,
    args: { id: t.arg.id() },
    resolve: async (_r, { id }, ctx) => {
      const award = await getOwnAward(ctx, ctx.user, String(id));
      return award && !award.revokedAt ? award : null;
    },
  }),
}));
