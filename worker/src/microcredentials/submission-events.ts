import type { SQL } from "drizzle-orm";
import type { Db } from "../database";
import { type OutboxWrite, outboxInsert } from "../outbox/intents";

// The microcredentials domain's outbox events, for those who follow submissions from outside
// (webhooks). Payloads carry ids: the submission event row says what happened.

export const SUBMISSION_SUBMITTED = "submission.submitted";
export const SUBMISSION_DECIDED = "submission.decided";

export interface SubmissionEventPayload {
  submissionId: string;
  /** The `submission_events` row of this change. */
  eventId: string;
}

/** For the batch of a hand-in or a decision; `happened` holds only if the change won its race. */
export function submissionEventIntent(
  db: Db,
  kind: typeof SUBMISSION_SUBMITTED | typeof SUBMISSION_DECIDED,
  payload: SubmissionEventPayload,
  now: number,
  happened: SQL,
): OutboxWrite {
  // Keyed by the change's own event id; `<kind>:<submissionId>:…` is the reviewer emails' key.
  return outboxInsert(db, { kind, key: `${kind}/${payload.eventId}`, payload }, now, happened);
}
