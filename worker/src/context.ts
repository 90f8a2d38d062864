import type { User } from "./accounts/accounts.table";
import type { Db } from "./db/client";
import type { Mailer } from "./email/message";
import type { Config } from "./env";
import type { CookieJar } from "./http/cookies";
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
