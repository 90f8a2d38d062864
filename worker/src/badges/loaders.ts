import type { AppContext } from "../context";
import { getBadgeClass } from "./badge-classes.service";
import type { BadgeClass } from "./badge-classes.table";
import { getIssuer } from "./issuers.service";
import type { Issuer } from "./issuers.table";

// Per-request memo: a page of awards names the same few badge classes and issuers many times.
const memo = new WeakMap<AppContext, Map<string, Promise<unknown>>>();

function once<T>(ctx: AppContext, key: string, load: () => Promise<T>): Promise<T> {
  let cache = memo.get(ctx);
  if (!cache) {
    cache = new Map();
    memo.set(ctx, cache);
  }
  if (!cache.has(key)) cache.set(key, load());
  return cache.get(key) as Promise<T>;
}

export async function loadBadgeClass(ctx: AppContext, id: string): Promise<BadgeClass> {
  const badgeClass = await once(ctx, `badge-class:${id}`, () => getBadgeClass(ctx, id));
  if (!badgeClass) throw new Error(`badge class ${id} is missing`);
  return badgeClass;
}

export async function loadIssuer(ctx: AppContext, id: string): Promise<Issuer> {
  const issuer = await once(ctx, `issuer:${id}`, () => getIssuer(ctx, id));
  if (!issuer) throw new Error(`issuer ${id} is missing`);
  return issuer;
}
