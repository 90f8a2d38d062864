import type { AppContext } from "../context";
import { listsFor } from "../db/limits";
import { builder } from "../graphql/builder";
import { getSections, listSectionsOfCategories } from "./articles.service";
import { HelpCategoryType } from "./help-category.graphql";

/** A section of a category ("Two-step sign-in"), holding articles. */
export const HelpSectionType = builder.loadableObjectRef("HelpSection", {
  load: (ids: string[], ctx: AppContext) => getSections(ctx, ids),
  sort: (section) => section.id,
});

HelpSectionType.implement({
  description: "A section of a help centre category, holding articles.",
  fields: (t) => ({
    id: t.exposeID("id"),
    slug: t.exposeString("slug"),
    name: t.exposeString("name"),
    description: t.exposeString("description"),
    category: t.field({ type: HelpCategoryType, resolve: (s) => s.categoryId }),
  }),
});

builder.objectField(HelpCategoryType, "sections", (t) =>
  t.loadableList({
    type: HelpSectionType,
    description: "In order.",
    load: async (categoryIds: string[], ctx: AppContext) =>
      listsFor(categoryIds, await listSectionsOfCategories(ctx, categoryIds), (section) => section.categoryId),
    resolve: (category) => category.id,
  }),
);
