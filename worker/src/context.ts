import type { User } from "./accounts/accounts.table";
import { createDb, type Db } from "./db/client";
import type { Mailer } from "./email/message";
import { createMailer } from "./email/transports";
import { type Config, getConfig } from "./env";
import type { CookieJar } from "./http/cookies";
import { now } from "./lib/time";
import type { Session } from "./sessions/sessions.service";

/** What every service may use: built once per request by the `requestContext()` middleware. */
export interface AppContext {
  env: Env;
  config: Config;
  db: Db;
  kv: KVNamespace;
  mailer: Mailer;
  now(): number;
  ip: string | null;
  userAgent: string | null;
  session: Session | null;
  user: User | null;
  cookies: CookieJar;
  responseHeaders: Headers;
  waitUntil(promise: Promise<unknown>): void;
}

type RequestParts = Pick<AppContext, "ip" | "userAgent" | "cookies" | "responseHeaders" | "waitUntil">;

/** Config, a fresh D1 client and the mailer, around what the caller knows of the request. */
export function createAppContext(env: Env, parts: RequestParts): AppContext {
  const config = getConfig(env);
  const db = createDb(env.DB);
  return { env, config, db, kv: env.KV, mailer: createMailer(config, env, db), now, session: null, user: null, ...parts };
}

/** The context for work outside an HTTP request (queue consumers): no visitor, no cookies. */
export function backgroundContext(env: Env, execution: { waitUntil(promise: Promise<unknown>): void }): AppContext {
  return createAppContext(env, {
    ip: null,
    userAgent: null,
    cookies: { get: () => undefined, set: () => undefined, clear: () => undefined },
    responseHeaders: new Headers(),
    waitUntil: (p) => execution.waitUntil(p),
  });
}
