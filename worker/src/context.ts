import type { User } from "./accounts/accounts.table";
import { createDb, type Db } from "./database";
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
  /** The request's D1 session (Sessions API): raw prepared statements go through it too. */
  d1: D1DatabaseSession;
  kv: KVNamespace;
  mailer: Mailer;
  now(): number;
  ip: string | null;
  userAgent: string | null;
  session: Session | null;
  /**
   * The signed-in user: from the session cookie, or for a request with an API token, the
   * token's creator, whose rights are then narrowed by `apiToken`.
   */
  user: User | null;
  /** Set when the request came with `Authorization: Bearer`; such requests read no cookies. */
  bearerToken: string | null;
  apiToken: ApiCaller | null;
  /** The request's `Idempotency-Key` header: a creating mutation's default key (ADR 025). */
  idempotencyKey: string | null;
  cookies: CookieJar;
  responseHeaders: Headers;
  waitUntil(promise: Promise<unknown>): void;
}

/** What an API token lets its request do (`integrations/`). */
export interface ApiCaller {
  id: string;
  /** The one issuer an issuer's token acts for; null for a personal (backpack) token. */
  issuerId: string | null;
  scopes: ReadonlySet<string>;
}

/** The context of a field behind the `signedIn` or `staff` scope (`t.withAuth`): the user is known. */
export type SignedInContext = AppContext & { user: User };

type RequestParts = Pick<AppContext, "ip" | "userAgent" | "cookies" | "responseHeaders" | "waitUntil"> & {
  bearerToken?: string | null;
  idempotencyKey?: string | null;
  /** A D1 bookmark or session constraint; the primary when absent (see ADR 019). */
  readFrom?: string;
};

/** Config, a fresh D1 session and client, and the mailer, around what the caller knows of the request. */
export function createAppContext(
  env: Env,
  { readFrom = "first-primary", bearerToken = null, idempotencyKey = null, ...parts }: RequestParts,
): AppContext {
  const config = getConfig(env);
  const d1 = env.DB.withSession(readFrom);
  const db = createDb(d1);
  return {
    env,
    config,
    db,
    d1,
    kv: env.KV,
    mailer: createMailer(config, env, db),
    now,
    session: null,
    user: null,
    bearerToken,
    apiToken: null,
    idempotencyKey,
    ...parts,
  };
}

/**
 * The context for work outside a signed-in request (queue consumers, cron, public documents):
 * no visitor, no cookies, reads from the primary, since what it reads decides what it sends.
 */
export function backgroundContext(env: Env, execution: { waitUntil(promise: Promise<unknown>): void }): AppContext {
  return createAppContext(env, {
    ip: null,
    userAgent: null,
    cookies: { get: () => undefined, set: () => undefined, clear: () => undefined },
    responseHeaders: new Headers(),
    waitUntil: (p) => execution.waitUntil(p),
  });
}
