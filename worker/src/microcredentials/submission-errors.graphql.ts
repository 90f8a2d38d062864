import { builder } from "../graphql/builder";
import { ErrorInterface } from "../graphql/errors.graphql";
import { PrerequisitesMissingError, SubmissionClaimedError, SubmissionStateError } from "./errors";
import { SubmissionStateEnum } from "./submission-state.graphql";

builder.objectType(SubmissionStateError, {
  name: "SubmissionStateError",
  description: "The submission's state does not allow this; `state` is the state it is in.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ state: t.field({ type: SubmissionStateEnum, resolve: (e) => e.state }) }),
});

const MissingBadge = builder.objectRef<{ id: string; name: string }>("MissingPrerequisite").implement({
  fields: (t) => ({ badgeClassId: t.exposeID("id"), name: t.exposeString("name") }),
});

const MissingStep = builder.objectRef<PrerequisitesMissingError["missingSteps"][number]>("MissingPathwayStep").implement({
  fields: (t) => ({
    stepId: t.exposeID("stepId"),
    name: t.exposeString("name"),
    pathwayId: t.exposeID("pathwayId", { nullable: true, description: "Null when the step was removed from its pathway." }),
    pathwayName: t.exposeString("pathwayName", { nullable: true }),
  }),
});

builder.objectType(PrerequisitesMissingError, {
  name: "PrerequisitesMissingError",
  description: "The learner does not hold, on any verified email, every prerequisite badge.",
  interfaces: [ErrorInterface],
  fields: (t) => ({
    missing: t.field({ type: [MissingBadge], resolve: (e) => e.missing }),
    missingSteps: t.field({
      type: [MissingStep],
      description: "Pathway steps not met yet with the badges held now.",
      resolve: (e) => e.missingSteps,
    }),
  }),
});

builder.objectType(SubmissionClaimedError, {
  name: "SubmissionClaimedError",
  description: "Another assessor holds a live claim on the submission.",
  interfaces: [ErrorInterface],
  fields: (t) => ({ claimedUntil: t.field({ type: "DateTime", resolve: (e) => e.claimedUntil }) }),
});
