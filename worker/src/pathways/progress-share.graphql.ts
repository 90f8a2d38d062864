import { builder } from "../graphql/builder";
import { NotFoundError } from "../lib/errors";
import { PathwayType } from "./pathway.graphql";
import { PathwayProgressType } from "./pathway-progress.graphql";
import { type ProgressShareLink, progressSharedAt, shareProgress, withdrawProgressShare } from "./progress-shares.service";

// A learner's public link to their progress on a pathway: made, shown once, withdrawn.

const ProgressShareLinkType = builder.objectRef<ProgressShareLink>("PathwayProgressShareLink").implement({
  description: "The public link to your progress. Shown only in this answer: Laurel keeps only a hash of it.",
  fields: (t) => ({
    url: t.exposeString("url"),
    createdAt: t.field({ type: "DateTime", resolve: (l) => l.createdAt }),
  }),
});

builder.objectField(PathwayProgressType, "sharedAt", (t) =>
  t.field({
    type: "DateTime",
    nullable: true,
    description: "Since when a public link shows your progress on this pathway; null when none does.",
    resolve: (p, _a, ctx) => (ctx.user ? progressSharedAt(ctx, ctx.user, p.pathway.id) : null),
  }),
);

builder.mutationFields((t) => ({
  sharePathwayProgress: t.withAuth({ signedIn: true }).field({
    type: ProgressShareLinkType,
    description:
      "Makes a public link to your progress on a pathway you follow: its steps and what you have done, with your name but no email. An earlier link stops working.",
    errors: { types: [NotFoundError] },
    args: { pathwayId: t.arg.id() },
    resolve: (_r, { pathwayId }, ctx) => shareProgress(ctx, ctx.user, String(pathwayId)),
  }),
  withdrawPathwayProgressShare: t.withAuth({ signedIn: true }).field({
    type: PathwayType,
    description: "Withdraws the public link to your progress on the pathway: it stops working at once.",
    errors: { types: [NotFoundError] },
    args: { pathwayId: t.arg.id() },
    resolve: (_r, { pathwayId }, ctx) => withdrawProgressShare(ctx, ctx.user, String(pathwayId)),
  }),
}));
