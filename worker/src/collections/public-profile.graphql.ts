import { ProfileType } from "../accounts/profile.graphql";
import { builder } from "../graphql/builder";
import { showProfilePublicly } from "./learner-pages";

// The learner's switch for their profile on their public pages; here, beside the pages it purges.
builder.mutationFields((t) => ({
  showProfilePublicly: t.withAuth({ signedIn: true }).field({
    type: ProfileType,
    description:
      "Shows (true) or hides (false) the learner's name, photo, headline, links and educational providers on their public badge and collection pages.",
    errors: {},
    args: { shown: t.arg.boolean() },
    resolve: (_r, { shown }, ctx) => showProfilePublicly(ctx, ctx.user, shown),
  }),
}));
