import type { SubmissionState } from "./submissions.table";

// The expected refusals of the micro-credential flow, returned as typed union members.

/** The submission is not in a state that allows this (already submitted, decided, withdrawn …). */
export class SubmissionStateError extends Error {
  override name = "SubmissionStateError";
  constructor(
    message: string,
    readonly state: SubmissionState,
  ) {
    super(message);
  }
}

/** The learner does not hold, on any verified email, every badge the micro-credential requires. */
export class PrerequisitesMissingError extends Error {
  override name = "PrerequisitesMissingError";
  constructor(
    readonly missing: { id: string; name: string }[],
    /** Pathway steps the learner does not meet yet. */
    readonly missingSteps: { stepId: string; name: string; pathwayId: string | null; pathwayName: string | null }[] = [],
  ) {
    const names = [
      ...missing.map((m) => `"${m.name}"`),
      ...missingSteps.map((s) => (s.pathwayName ? `the step "${s.name}" of the pathway "${s.pathwayName}"` : s.name)),
    ];
    super(`Earn ${names.join(", ")} first: this micro-credential requires it.`);
  }
}

/** Another assessor holds a live claim on the submission. */
export class SubmissionClaimedError extends Error {
  override name = "SubmissionClaimedError";
  constructor(readonly claimedUntil: Date) {
    super("Another assessor is reviewing this submission. It becomes available again if they do not decide in time.");
  }
}
