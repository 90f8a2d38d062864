import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { type CookieOptions, serialize } from "hono/utils/cookie";

// `__Host-` pins a cookie to our exact origin: Secure, Path=/, no Domain. Chromium
// accepts Secure cookies on http://127.0.0.1 and localhost, so development uses the same names.
export const SESSION_COOKIE = "__Host-laurel_session";
/** Holds a pending sign-in between the first and second factor (5 minutes). */
export const PENDING_SIGN_IN_COOKIE = "__Host-laurel_pending";
/** "Remember this device for 30 days". */
export const DEVICE_COOKIE = "__Host-laurel_device";
/** A signed-out reader's random id, so "Was this article helpful?" counts one vote per person. */
export const VISITOR_COOKIE = "__Host-laurel_visitor";

export interface CookieJar {
  get(name: string): string | undefined;
  set(name: string, value: string, options: { maxAgeSeconds: number }): void;
  clear(name: string): void;
}

const base: CookieOptions = { path: "/", httpOnly: true, secure: true, sameSite: "Lax" };

/** Reads the request's cookies and collects Set-Cookie headers, which the middleware copies onto the response. */
export function cookieJar(c: Context, headers: Headers): CookieJar {
  return {
    get: (name) => getCookie(c, name),
    set(name, value, { maxAgeSeconds }) {
      headers.append("set-cookie", serialize(name, value, { ...base, maxAge: maxAgeSeconds }));
    },
    clear(name) {
      headers.append("set-cookie", serialize(name, "", { ...base, maxAge: 0 }));
    },
  };
}
