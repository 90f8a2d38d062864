import { builder } from "../graphql/builder";
import type { Alignment } from "./badge-classes.table";

// A competency a badge class aligns to (Open Badges' AlignmentObject), shown and edited with the badge class.

export const AlignmentType = builder.objectRef<Alignment>("Alignment").implement({
  description: "A competency in a framework that the badge aligns to.",
  fields: (t) => ({
    name: t.exposeString("name"),
    url: t.exposeString("url"),
    code: t.exposeString("code", { nullable: true }),
    framework: t.exposeString("framework", { nullable: true }),
  }),
});

export const AlignmentInput = builder.inputType("AlignmentInput", {
  fields: (t) => ({ name: t.string(), url: t.string(), code: t.string({ required: false }), framework: t.string({ required: false }) }),
});
