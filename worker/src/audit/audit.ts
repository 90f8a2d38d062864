import type { Db } from "../db/client";
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

/** The insert, unexecuted, so callers put it in the same D1 batch as the change it records. */
export function auditInsert(db: Db, entry: AuditEntry, now: number) {
  return db.insert(auditLog).values({
    id: newId(),
    actorUserId: entry.actorUserId,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    data: entry.data ?? {},
    ip: entry.ip ?? null,
    createdAt: new Date(now),
  });
}
