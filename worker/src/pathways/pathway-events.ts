import type { SQL } from "drizzle-orm";
import type { Db } from "../database";
import { type OutboxWrite, outboxInsert, outboxInsertFrom } from "../outbox/intents";

// The pathways domain's outbox events (handlers: completion.handlers.ts, registered in index.ts).

/** Judge completions: every subscriber of the pathway, or one of them (`userId`). */
export const PATHWAY_EVALUATE = "pathway.evaluate";

export interface PathwayEvaluatePayload {
  pathwayId: string;
  userId?: string;
}

/**
 * For the batch of a change after which subscribers may have completed something: a publish,
 * an edit of the tree (one event per version), or a new subscription (`userId`).
 */
export function pathwayEvaluateIntent(
  db: Db,
  payload: PathwayEvaluatePayload,
  now: number,
  options: { key?: string; when?: SQL } = {},
): OutboxWrite {
  return outboxInsert(db, { kind: PATHWAY_EVALUATE, key: options.key, payload }, now, options.when);
}

/** Email an invitation: `pathway.invited:<invitationId>`, one per new invitation. */
export const PATHWAY_INVITED = "pathway.invited";

/**
 * For the batch that inserts invitations, after the inserts: an event for each of these
 * invitation ids that the batch wrote (an address invited before kept its older id, and is
 * not emailed again). Returns the ids it armed.
 */
export function pathwayInvitedIntents(d1: Pick<D1Database, "prepare">, invitationIds: string[], now: number): D1PreparedStatement {
  return outboxInsertFrom(
    d1,
    PATHWAY_INVITED,
    {
      sql: `select '${PATHWAY_INVITED}:' || id as key, json_object('invitationId', id) as payload from pathway_invitations
            where notified_at is null and id in (select value from json_each(?))`,
      params: [JSON.stringify(invitationIds)],
    },
    now,
  );
}

/** A learner completed a whole pathway (not a step): `pathway.completed:<completionId>`, for webhooks. */
export const PATHWAY_COMPLETED = "pathway.completed";

/** For the batch that records the completion, after its insert: written only if that insert happened. */
export function pathwayCompletedIntent(db: Db, completionId: string, now: number, when: SQL): OutboxWrite {
  return outboxInsert(db, { kind: PATHWAY_COMPLETED, key: `${PATHWAY_COMPLETED}:${completionId}`, payload: { completionId } }, now, when);
}
