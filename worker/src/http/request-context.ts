import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import { type AppContext, createAppContext } from "../context";
import { BOOKMARK_COOKIE, readFrom } from "../db/bookmark";
import { bearerTokenOf } from "./bearer";
import { type CookieJar, cookieJar } from "./cookies";

/** Replicas catch up in seconds; an hour covers a tab left open between a write and a read. */
const BOOKMARK_MAX_AGE_S = 60 * 60;

const NO_COOKIES: CookieJar = { get: () => undefined, set: () => undefined, clear: () => undefined };

export type AppEnv = { Bindings: Env; Variables: { app: AppContext } };

/**
 * Builds the per-request context: config, a fresh D1 client and the mailer; `identify` then
 * finds who is signed in (the entry point passes the sessions domain's, since this layer
 * imports no domain).
 */
export function requestContext(identify: (app: AppContext) => Promise<void>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const responseHeaders = new Headers();
    const bearerToken = bearerTokenOf(c.req.header("authorization"));
    // A machine's request is the token alone: cookies it happens to carry are neither read nor set.
    const bookmark = bearerToken === null ? getCookie(c, BOOKMARK_COOKIE) : undefined;
    const app = createAppContext(c.env, {
      readFrom: readFrom(bookmark),
      bearerToken,
      idempotencyKey: c.req.header("idempotency-key") ?? null,
      ip: c.req.header("cf-connecting-ip") ?? null,
      userAgent: c.req.header("user-agent") ?? null,
      cookies: bearerToken === null ? cookieJar(c, responseHeaders) : NO_COOKIES,
      responseHeaders,
      waitUntil: (p) => c.executionCtx.waitUntil(p),
    });
    await identify(app);
    c.set("app", app);
    await next();
    const newest = app.d1.getBookmark();
    if (bearerToken === null && newest && newest !== bookmark)
      app.cookies.set(BOOKMARK_COOKIE, newest, { maxAgeSeconds: BOOKMARK_MAX_AGE_S });
    const cookies = responseHeaders.getSetCookie();
    if (cookies.length > 0) {
      // Re-wrap: a Response from elsewhere may have immutable headers.
      c.res = new Response(c.res.body, c.res);
      for (const cookie of cookies) c.res.headers.append("set-cookie", cookie);
    }
  });
}
