import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/**
 * Created per request: a D1 binding is only valid inside the request that received it. Takes
 * the binding or one of its Sessions API sessions (docs/decisions/019-d1-read-replicas.md).
 */
export function createDb(d1: D1Database | D1DatabaseSession) {
  // A session has every method drizzle's D1 driver calls (prepare, batch).
  return drizzle(d1 as D1Database, { schema });
}

export type Db = ReturnType<typeof createDb>;

/** Carries the newest D1 bookmark a browser has seen, so its next reads include its own writes. */
export const BOOKMARK_COOKIE = "__Host-laurel_d1";

// Bookmarks are opaque; this only keeps a forged cookie from reaching D1 as something else.
const BOOKMARK_PATTERN = /^[0-9a-f][0-9a-f-]{7,199}$/i;

/** Where a request's first query may go: after the browser's bookmark, else the nearest copy. */
export function readFrom(bookmark: string | undefined): string {
  return bookmark && BOOKMARK_PATTERN.test(bookmark) ? bookmark : "first-unconstrained";
}
