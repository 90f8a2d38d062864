import { builder } from "../graphql/builder";
import type { RubricCriterion, RubricLevel } from "./micro-credentials.table";

const RubricLevelType = builder.objectRef<RubricLevel & { index: number }>("RubricLevel").implement({
  fields: (t) => ({
    index: t.exposeInt("index", { description: "0 is the lowest level." }),
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
  }),
});

export const RubricCriterionType = builder.objectRef<RubricCriterion>("RubricCriterion").implement({
  description: "A rubric criterion; passing needs at least its required level.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    partIds: t.idList({ resolve: (c) => c.partIds }),
    levels: t.field({ type: [RubricLevelType], resolve: (c) => c.levels.map((l, index) => ({ ...l, index })) }),
    requiredLevel: t.exposeInt("requiredLevel"),
  }),
});

const RubricLevelInput = builder.inputType("RubricLevelInput", {
  fields: (t) => ({ name: t.string(), description: t.string({ required: false }) }),
});

export const RubricCriterionInput = builder.inputType("RubricCriterionInput", {
  fields: (t) => ({
    id: t.id({ required: false }),
    name: t.string(),
    description: t.string({ required: false }),
    partIds: t.stringList({ description: 'Ids of the parts it judges, or positions ("0", "1" …) of new parts.' }),
    levels: t.field({ type: [RubricLevelInput], description: "Lowest first." }),
    requiredLevel: t.int({ description: "Index of the lowest passing level." }),
  }),
});
