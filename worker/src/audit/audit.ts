import type { SQL } from "drizzle-orm";
import type { Db } from "../database";
import { insertWhere } from "../db/conditional";
import { newId } from "../lib/ids";
import { auditLog } from "./audit.table";

export interface AuditEntry {
  actorUserId: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  data?: Record<string, unknown>;
  ip?: string | null;
}

function auditRow(entry: AuditEntry, now: number) {
  return {
    id: newId(),
    actorUserId: entry.actorUserId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    data: entry.data ?? {},
    ip: entry.ip ?? null,
    createdAt: new Date(now),
  };
}

/** The insert, unexecuted, so callers put it in the same D1 batch as the change it records. */
export function auditInsert(db: Db, entry: AuditEntry, now: number) {
  return db.insert(auditLog).values(auditRow(entry, now));
}

/**
 * The insert for a change that may not happen: written only if `happened` holds when it runs
 * in the batch. Racing requests then leave one entry for the one change, not one each.
 * `happened` is either the change's own guard, evaluated just before the change, or a test
 * for a row that only this change can have written.
 */
export function auditInsertWhere(db: Db, entry: AuditEntry, now: number, happened: SQL) {
  return insertWhere(db, auditLog, auditRow(entry, now), happened);
}
