import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { type CookieOptions, serialize } from "hono/utils/cookie";

// `__Host-` pins a cookie to our exact origin: Secure, Path=/, no Domain. Chromium
// accepts Secure cookies on http://127.0.0.1 and localhost, so development uses the same names.
export const SESSION_COOKIE = "__Host-laurel_session";

export interface CookieWriter {
  set(name: string, value: string, options: { maxAgeSeconds: number }): void;
  clear(name: string): void;
}

const base: CookieOptions = { path: "/", httpOnly: true, secure: true, sameSite: "Lax" };

/** Collects Set-Cookie headers from resolvers; the route copies them onto the response. */
export function cookieWriter(headers: Headers): CookieWriter {
  return {
    set(name, value, { maxAgeSeconds }) {
      headers.append("set-cookie", serialize(name, value, { ...base, maxAge: maxAgeSeconds }));
    },
    clear(name) {
      headers.append("set-cookie", serialize(name, "", { ...base, maxAge: 0 }));
    },
  };
}

export function readCookie(c: Context, name: string): string | undefined {
  return getCookie(c, name);
}
