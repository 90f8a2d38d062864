import { exists, getTableColumns, is, SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "../database";

/**
 * `INSERT INTO table SELECT <values> WHERE condition`, unexecuted: the row is written only if
 * the condition holds when the statement runs inside its batch. That is how a batch records
 * only what happened (an audit row for a change another request did not win first) without
 * a read before it. Values go through each column's own encoding, as `insert().values()` does.
 */
export function insertWhere<T extends SQLiteTable>(db: Db, table: T, values: T["$inferInsert"], condition: SQL) {
  const given = values as Record<string, unknown>;
  const params = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const value = given[key];
    if (value !== undefined) return value === null ? sql`null` : sql.param(value, column);
    const fallback = column.default ?? column.defaultFn?.();
    if (fallback === undefined) return sql`null`;
    return is(fallback, SQL) ? fallback : sql.param(fallback, column);
  });
  return db.insert(table).select(sql`select ${sql.join(params, sql`, `)} where ${condition}`);
}

/** `EXISTS (SELECT 1 FROM table WHERE where)`, the usual guard of a conditional statement. */
export function rowExists(db: Db, table: SQLiteTable, where: SQL | undefined): SQL {
  return exists(db.select({ one: sql`1` }).from(table).where(where));
}
