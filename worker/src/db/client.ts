import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** Created per request: a D1 binding is only valid inside the request that received it. */
export function createDb(d1: D1Database) {
  return drizzle(d1, { schema });
}

export type Db = ReturnType<typeof createDb>;
