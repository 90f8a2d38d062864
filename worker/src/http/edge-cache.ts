import { inBackground } from "./background";

/**
 * The Workers cache of this data center (`caches.default`; the DOM typings do not know it),
 * and the keys public documents are stored under, one per variant.
 */
export type Variant = "json" | "html";

export const edgeCache = () => (caches as unknown as { default: Cache }).default;

export const cacheKey = (url: string, variant: Variant) => new Request(`${url.split("?")[0]}?variant=${variant}`);

/** Drops every cached variant of a public document, after it changed (a revocation). */
export async function purgePublicDocument(url: string): Promise<void> {
  await Promise.all((["json", "html"] as const).map((variant) => edgeCache().delete(cacheKey(url, variant))));
}

/**
 * Purges, beside the response, the public documents a committed change made stale. The change
 * is already committed, so a cache that fails must not fail the request that made it; what is
 * left behind expires with the cache's max-age.
 */
export function purgeAfterCommit(ctx: { waitUntil(promise: Promise<unknown>): void }, urls: string[]): void {
  inBackground(ctx, "edge cache: purging public documents", () => Promise.all(urls.map(purgePublicDocument)));
}
