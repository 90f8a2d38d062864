import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { getUserById } from "../src/accounts/accounts.service";
import type { User } from "../src/accounts/accounts.table";
import { type AppContext, backgroundContext } from "../src/context";

/**
 * One context per user id (repeat an id for several requests of one user), whose first D1
 * batches all wait until every one of them has
 * reached its batch: as if the requests arrived together and passed their checks before any
 * wrote. D1 then runs the batches one after another, so only conditions inside the batches
 * can tell the racers apart.
 */
export async function racingContexts(userIds: string[]): Promise<{ ctx: AppContext; user: User }[]> {
  const n = userIds.length;
  const waiting: (() => void)[] = [];
  const gate = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (waiting.length === n) for (const release of waiting) release();
    });
  const reader = backgroundContext(env, { waitUntil: () => undefined });
  return Promise.all(
    userIds.map(async (userId) => {
      const user = await getUserById(reader, userId);
      if (!user) throw new Error(`no user ${userId}`);
      const ctx = backgroundContext(env, { waitUntil: () => undefined });
      // drizzle's batch calls the session's, so gating the session gates both; only the first
      // batch of each context waits.
      const batch = ctx.d1.batch.bind(ctx.d1);
      let first = true;
      vi.spyOn(ctx.d1, "batch").mockImplementation(async (statements) => {
        if (first) {
          first = false;
          await gate();
        }
        return batch(statements);
      });
      return { ctx, user };
    }),
  );
}

/** Runs `attempt` in each racing context (`index` says which); a thrown error becomes its result. */
export async function race<T>(
  contexts: { ctx: AppContext; user: User }[],
  attempt: (ctx: AppContext, user: User, index: number) => Promise<T>,
): Promise<(T | Error)[]> {
  return Promise.all(contexts.map(({ ctx, user }, index) => attempt(ctx, user, index).catch((error: Error) => error)));
}
