import type { AppContext } from "../context";
import { builder } from "../graphql/builder";
import { getCategories } from "./articles.service";

/** A help centre category ("Signing in and security"); fields returning one may return its id. */
export const HelpCategoryType = builder.loadableObjectRef("HelpCategory", {
  load: (ids: string[], ctx: AppContext) => getCategories(ctx, ids),
  sort: (category) => category.id,
});

HelpCategoryType.implement({
  description: "A top-level group of the help centre, holding sections.",
  fields: (t) => ({
    id: t.exposeID("id"),
    slug: t.exposeString("slug"),
    name: t.exposeString("name"),
    description: t.exposeString("description"),
  }),
});
