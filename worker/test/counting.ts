import { env } from "cloudflare:workers";
import { getUserById } from "../src/accounts/accounts.service";
import type { AppContext } from "../src/context";
import { backgroundContext } from "../src/context";
import { createDb } from "../src/database";
import { graphqlServer } from "../src/graphql/yoga";
import type { TestUser } from "./fixtures";

/** A request context whose D1 counts the statements prepared on it (`queries()`). */
export function countingContext(): { ctx: AppContext; queries: () => number } {
  const ctx = backgroundContext(env, { waitUntil: () => undefined });
  let queries = 0;
  const session = ctx.d1;
  const counting = new Proxy(session, {
    get(target, property) {
      if (property === "prepare") {
        return (sql: string) => {
          queries++;
          return target.prepare(sql);
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  ctx.d1 = counting;
  ctx.db = createDb(counting);
  return { ctx, queries: () => queries };
}

/** Runs `query` through Yoga with `ctx` as the request's context; throws on GraphQL errors. */
export async function runQuery(ctx: AppContext, query: string): Promise<any> {
  const response = await graphqlServer(ctx.config.environment).fetch(
    new Request("http://127.0.0.1:8787/graphql", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    }),
    { app: ctx },
  );
  const body = (await response.json()) as { data: unknown; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** Runs `query` as `user` through Yoga on a D1 session that counts the statements prepared. */
export async function countQueries(user: TestUser, query: string): Promise<{ data: any; queries: number }> {
  const { ctx, queries } = countingContext();
  ctx.user = await getUserById(ctx, user.id);
  const before = queries();
  const data = await runQuery(ctx, query);
  return { data, queries: queries() - before };
}
