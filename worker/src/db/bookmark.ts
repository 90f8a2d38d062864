/** Carries the newest D1 bookmark a browser has seen, so its next reads include its own writes. */
export const BOOKMARK_COOKIE = "__Host-laurel_d1";

// Bookmarks are opaque; this only keeps a forged cookie from reaching D1 as something else.
const BOOKMARK_PATTERN = /^[0-9a-f][0-9a-f-]{7,199}$/i;

/** Where a request's first query may go: after the browser's bookmark, else the nearest copy. */
export function readFrom(bookmark: string | undefined): string {
  return bookmark && BOOKMARK_PATTERN.test(bookmark) ? bookmark : "first-unconstrained";
}
