import { builder } from "../graphql/builder";
import { PART_KINDS, type PartKind, type SubmissionPart } from "./micro-credentials.table";

export const PartKindEnum = builder.enumType("SubmissionPartKind", {
  values: Object.fromEntries(PART_KINDS.map((k) => [k.toUpperCase(), { value: k }])) as Record<
    "TEXT" | "FILE" | "LINK",
    { value: PartKind }
  >,
});

export const SubmissionPartType = builder.objectRef<SubmissionPart>("SubmissionPart").implement({
  description: "One ordered part of what a learner submits.",
  fields: (t) => ({
    id: t.exposeID("id"),
    title: t.exposeString("title"),
    prompt: t.exposeString("prompt"),
    kind: t.field({ type: PartKindEnum, resolve: (p) => p.kind }),
    required: t.exposeBoolean("required"),
    wordLimit: t.exposeInt("wordLimit", { nullable: true }),
    fileTypes: t.exposeStringList("fileTypes", { nullable: true }),
    maxBytes: t.exposeInt("maxBytes", { nullable: true }),
  }),
});

export const SubmissionPartInput = builder.inputType("SubmissionPartInput", {
  fields: (t) => ({
    id: t.id({ required: false, description: "Keep a part's id when editing it; new parts get one." }),
    title: t.string(),
    prompt: t.string(),
    kind: t.field({ type: PartKindEnum }),
    required: t.boolean({ required: false, defaultValue: true }),
    wordLimit: t.int({ required: false }),
    fileTypes: t.stringList({ required: false }),
    maxBytes: t.int({ required: false }),
  }),
});
