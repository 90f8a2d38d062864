import { drizzle } from "drizzle-orm/d1";
import * as tables from "./tables";

/**
 * Created per request: a D1 binding is only valid inside the request that received it. Takes
 * the binding or one of its Sessions API sessions (docs/decisions/019-d1-read-replicas.md).
 * It lives beside `tables.ts`, not in `db/`, because it knows every domain's tables.
 */
export function createDb(d1: D1Database | D1DatabaseSession) {
  // A session has every method drizzle's D1 driver calls (prepare, batch).
  return drizzle(d1 as D1Database, { schema: tables });
}

/** The request's database, with every table for relational queries (`db.query.<table>`). */
export type Db = ReturnType<typeof createDb>;
