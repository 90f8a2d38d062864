import type { AppContext } from "../context";
import { VISITOR_COOKIE } from "../http/cookies";
import { randomToken, sha256Hex } from "../lib/crypto";
import { DAY } from "../lib/time";

const VISITOR_MAX_AGE_SECONDS = (365 * DAY) / 1000;
// randomToken(32): 256 bits, base64url without padding.
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The voter key of a signed-in user's votes. */
export const userVoterKey = (userId: string) => `user:${userId}`;

/**
 * Who is voting or writing: a signed-in user as themselves, anyone else by a random visitor
 * cookie (256 bits) that is stored only as its SHA-256. `create` sets the cookie when there is
 * none yet (a vote); reads never do, so reading an article sets no cookie.
 */
export async function readerKey(
  ctx: Pick<AppContext, "user" | "apiToken" | "cookies">,
  { create }: { create: boolean },
): Promise<string | null> {
  // An API token acts for its creator only on fields that name its scope: here it is a visitor.
  const user = sessionUser(ctx);
  if (user) return userVoterKey(user.id);
  let token = ctx.cookies.get(VISITOR_COOKIE);
  if (!token || !TOKEN.test(token)) {
    if (!create) return null;
    token = randomToken(32);
    ctx.cookies.set(VISITOR_COOKIE, token, { maxAgeSeconds: VISITOR_MAX_AGE_SECONDS });
  }
  return `visitor:${await sha256Hex(token)}`;
}

/** The user of a browser session: null for visitors and for API tokens. */
export const sessionUser = (ctx: Pick<AppContext, "user" | "apiToken">) => (ctx.apiToken === null ? ctx.user : null);
