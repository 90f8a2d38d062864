import type { SQL } from "drizzle-orm";
import type { Db } from "../database";
import { type OutboxWrite, outboxInsert } from "../outbox/intents";

// The accounts domain's outbox events, for the domains that follow what an account holds
// (pathways judge completions again). Payloads carry ids only.

/** An address was verified onto an account: the badges awarded to it are now the account's. */
export const EMAIL_VERIFIED = "email.verified";
/** Another account was joined into `userId`, with its addresses and what they hold. */
export const ACCOUNTS_MERGED = "accounts.merged";

export interface AccountEventPayload {
  userId: string;
}

export function emailVerifiedIntent(db: Db, userId: string, emailId: string, now: number): OutboxWrite {
  return outboxInsert(db, { kind: EMAIL_VERIFIED, key: `${EMAIL_VERIFIED}:${emailId}`, payload: { userId } }, now);
}

/** For the merge's batch, written only if the merge happened. */
export function accountsMergedIntent(db: Db, mergeId: string, intoUserId: string, now: number, happened: SQL): OutboxWrite {
  return outboxInsert(db, { kind: ACCOUNTS_MERGED, key: `${ACCOUNTS_MERGED}:${mergeId}`, payload: { userId: intoUserId } }, now, happened);
}
