import { sql } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import { auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { sha256Hex } from "../lib/crypto";
import { Problems, ValidationError } from "../lib/errors";
import { afterCommit } from "../outbox/enqueue";
import { armedIds } from "../outbox/intents";
import { bulkAwardIntents } from "./award-events";
import { awardRow, type CheckedAward, checkAward, checkIdempotencyKey } from "./awards.service";
import { awards } from "./awards.table";
import { requireBadgeClass } from "./badge-classes.service";
import { parseCsv } from "./csv";
import { earlierResult, idempotencyClaim } from "./idempotency";
import { requireIssuerRole } from "./issuers.service";

export const MAX_CSV_ROWS = 10_000;
const COLUMNS = ["email", "name", "narrative", "evidence_url", "issued_on", "expires_on"] as const;
/** D1 binds at most 100 parameters per statement; an award row has 14 columns here. */
const ROWS_PER_INSERT = 7;
const INSERT_COLUMNS = [
  "id",
  "badge_class_id",
  "issuer_id",
  "recipient_email",
  "recipient_name",
  "recipient_salt",
  "recipient_hash",
  "narrative",
  "evidence",
  "issued_on",
  "expires_at",
  "source_key",
  "awarded_by",
  "created_at",
] as const;

/**
 * The multi-row insert for `rows` awards; a row already awarded (same source key) is skipped,
 * and nothing is written unless `condition` (SQL text, its parameters after the rows') holds.
 */
function insertSql(rows: number, condition: string): string {
  const tuple = `(${INSERT_COLUMNS.map(() => "?").join(", ")})`;
  // SQLite needs the WHERE of an INSERT … SELECT with an upsert clause (it parses ON otherwise).
  return `insert into awards (${INSERT_COLUMNS.join(", ")}) select * from (values ${Array.from({ length: rows }, () => tuple).join(", ")}) where ${condition} on conflict do nothing returning id`;
}

export interface RowProblem {
  line: number;
  field: string;
  message: string;
}

/** A CSV that cannot be applied as a whole; nothing was awarded. */
export class CsvRejectedError extends Error {
  override name = "CsvRejectedError";
  constructor(
    message: string,
    readonly rows: RowProblem[],
  ) {
    super(message);
  }
}

export interface BulkAwardReport {
  created: number;
  alreadyAwarded: number;
  rows: number;
}

/**
 * Awards a badge class to every row of a CSV, or to none: every row is checked first and any
 * problem rejects the file with a report by line. A row's key is a hash of its content, so
 * uploading the same file again awards nothing twice, and emails only the recipients whose
 * email was never sent.
 */
export async function bulkAward(
  ctx: AppContext,
  user: User,
  badgeClassId: string,
  csv: string,
  idempotencyKey: string | null = null,
): Promise<BulkAwardReport> {
  const badgeClass = await requireBadgeClass(ctx, badgeClassId);
  await requireIssuerRole(ctx, user, badgeClass.issuerId, "award");
  const keyProblems = new Problems();
  const idempotency = checkIdempotencyKey(keyProblems, idempotencyKey);
  keyProblems.throwIfAny();
  const [header, ...rows] = parseCsv(csv);
  if (!header) throw ValidationError.field("csv", "The file is empty. The first line must name the columns, starting with email.");
  const names = header.fields.map((f) => f.trim().toLowerCase().replace(/\s+/g, "_"));
  const unknown = names.filter((n) => !(COLUMNS as readonly string[]).includes(n));
  if (!names.includes("email") || unknown.length) {
    throw ValidationError.field(
      "csv",
      `The first line must name the columns: email (required), ${COLUMNS.slice(1).join(", ")}.${unknown.length ? ` Unknown: ${unknown.join(", ")}.` : ""}`,
    );
  }
  if (rows.length === 0) throw ValidationError.field("csv", "The file has no rows after the header.");
  if (rows.length > MAX_CSV_ROWS)
    throw ValidationError.field(
      "csv",
      `At most ${MAX_CSV_ROWS.toLocaleString("en")} rows per file; this one has ${rows.length.toLocaleString("en")}.`,
    );

  const now = ctx.now();
  const problems: RowProblem[] = [];
  const checked: { award: CheckedAward; key: string }[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const value = (column: string) => row.fields[names.indexOf(column)]?.trim() || null;
    const rowProblems = new Problems();
    const award = checkAward(
      rowProblems,
      badgeClass,
      {
        email: value("email") ?? "",
        recipientName: value("name"),
        narrative: value("narrative"),
        evidence: value("evidence_url") ? [{ url: value("evidence_url") }] : [],
        issuedOn: value("issued_on"),
        expiresOn: value("expires_on"),
      },
      now,
    );
    if (row.fields.length > names.length)
      rowProblems.add("row", `This row has ${row.fields.length} fields; the header names ${names.length}.`);
    try {
      rowProblems.throwIfAny();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.fieldErrors.map((f) => ({ line: row.line, field: f.field, message: f.message })));
      continue;
    }
    const key = `csv:${await sha256Hex(JSON.stringify([award.email, award.recipientName, award.narrative, award.evidence, award.issuedOn.toISOString().slice(0, 10), award.expiresAt?.toISOString() ?? null]))}`;
    const earlier = seen.get(key);
    if (earlier) {
      problems.push({ line: row.line, field: "row", message: `Same as line ${earlier}.` });
      continue;
    }
    seen.set(key, row.line);
    checked.push({ award, key });
  }
  if (problems.length) {
    const lines = new Set(problems.map((p) => p.line)).size;
    throw new CsvRejectedError(
      `${lines} of ${rows.length} rows have problems. Nothing was awarded: fix them and upload the file again.`,
      problems,
    );
  }

  const values = await Promise.all(checked.map(({ award, key }) => awardRow(badgeClass, award, user.id, key, now)));
  // A retry must send the same rows (as their keys say) for the same badge class.
  const request = idempotency
    ? {
        userId: user.id,
        operation: "bulkAward",
        key: idempotency,
        requestHash: await sha256Hex(JSON.stringify([badgeClass.id, checked.map((c) => c.key)])),
      }
    : null;
  const claim = request ? idempotencyClaim(ctx.db, request, now) : null;
  const held = claim ? claim.heldRaw() : { sql: "1", params: [] };
  // Plain prepared statements, not query builders: 1,400 builders for a 10,000-row file cost
  // more memory than a Worker has.
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < values.length; i += ROWS_PER_INSERT) {
    const chunk = values.slice(i, i + ROWS_PER_INSERT);
    const params = chunk.flatMap((v) => [
      v.id,
      v.badgeClassId,
      v.issuerId,
      v.recipientEmail,
      v.recipientName,
      v.recipientSalt,
      v.recipientHash,
      v.narrative,
      JSON.stringify(v.evidence),
      v.issuedOn.getTime(),
      v.expiresAt?.getTime() ?? null,
      v.sourceKey,
      v.awardedBy,
      v.createdAt.getTime(),
    ]);
    statements.push(ctx.d1.prepare(insertSql(chunk.length, held.sql)).bind(...params, ...held.params));
  }
  // Audited only if the upload awarded something: the awards' fresh ids, as one JSON
  // parameter (D1 binds at most 100 values a statement), are what only this upload can have written.
  const audit = auditInsertWhere(
    ctx.db,
    {
      actorUserId: user.id,
      action: "award.bulk",
      subjectType: "badge-class",
      subjectId: badgeClass.id,
      data: { rows: rows.length },
      ip: ctx.ip,
    },
    now,
    sql`exists (select 1 from ${awards} where ${awards.id} in (select value from json_each(${JSON.stringify(values.map((v) => v.id))})))`,
  ).toSQL();
  // After the inserts, so they see this file's new awards too.
  const notifications = bulkAwardIntents(
    ctx.d1,
    badgeClass.id,
    values.map((v) => v.sourceKey),
    now,
  );
  // With a key: claimed first, and its answer stored last, counted in SQL from this upload's
  // fresh ids, so the whole decision is inside the one transaction.
  const raw = (statement: { toSQL(): { sql: string; params: unknown[] } }) => {
    const query = statement.toSQL();
    return ctx.d1.prepare(query.sql).bind(...query.params);
  };
  const freshIds = JSON.stringify(values.map((v) => v.id));
  const createdCount = sql`(select count(*) from ${awards} where ${awards.id} in (select value from json_each(${freshIds})))`;
  const first = claim ? [raw(claim.claim())] : [];
  const last = claim
    ? [
        raw(
          claim.setResult(
            sql`json_object('created', ${createdCount}, 'alreadyAwarded', ${values.length} - ${createdCount}, 'rows', ${rows.length})`,
          ),
        ),
      ]
    : [];
  // One batch is one transaction: the whole file lands with its emails' intents, or none of it.
  const results = await ctx.d1.batch<{ id: string }>([
    ...first,
    ...statements,
    ctx.d1.prepare(audit.sql).bind(...audit.params),
    ...notifications,
    ...last,
  ]);
  if (request && results[0]!.meta.changes === 0) {
    // Another request holds the key: its answer, and nothing of this one's (its inserts were guarded).
    const earlier = await earlierResult<BulkAwardReport>(ctx.db, request, "bulk award");
    if (earlier) return earlier;
  }
  const inserts = results.slice(first.length, first.length + statements.length);
  const createdIds = new Set(inserts.flatMap((r) => r.results.map((row) => row.id)));
  const created = values.filter((v) => createdIds.has(v.id));
  afterCommit(ctx, results.slice(first.length + statements.length + 1, results.length - last.length).flatMap(armedIds));
  return { created: created.length, alreadyAwarded: values.length - created.length, rows: rows.length };
}
