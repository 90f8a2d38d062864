import { builder } from "../graphql/builder";
import { DECISIONS, type Decision, SUBMISSION_STATES, type SubmissionState } from "./submissions.table";

export const SubmissionStateEnum = builder.enumType("SubmissionState", {
  values: Object.fromEntries(SUBMISSION_STATES.map((s) => [s.toUpperCase(), { value: s }])) as Record<
    "DRAFT" | "SUBMITTED" | "IN_REVIEW" | "RETURNED" | "RESUBMITTED" | "AWARDED" | "NOT_AWARDED" | "WITHDRAWN",
    { value: SubmissionState }
  >,
});

export const DecisionEnum = builder.enumType("SubmissionDecision", {
  values: Object.fromEntries(DECISIONS.map((s) => [s.toUpperCase(), { value: s }])) as Record<
    "RETURNED" | "AWARDED" | "NOT_AWARDED",
    { value: Decision }
  >,
});
