import { reportError } from "./report-error";

/**
 * Work that follows a committed change and must not fail the request that made it (tidying KV,
 * purging caches, handing events to the Queue): it runs beside the response, and a failure is
 * logged once. Work that must happen goes through the outbox instead.
 */
export function inBackground(ctx: { waitUntil(promise: Promise<unknown>): void }, what: string, work: () => Promise<unknown>): void {
  ctx.waitUntil(
    Promise.resolve()
      .then(work)
      .catch((error) => reportError(error, what)),
  );
}
