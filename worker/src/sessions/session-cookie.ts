import type { User } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import { SESSION_COOKIE } from "../http/cookies";
import { createSession, revokeSession, SESSION_ABSOLUTE_MS } from "./sessions.service";

/** Creates a full session for a user who passed every factor, and sets its cookie. */
export async function startSession(ctx: AppContext, user: User) {
  const { token, session } = await createSession(ctx, { userId: user.id, userAgent: ctx.userAgent, ip: ctx.ip }, ctx.now());
  ctx.cookies.set(SESSION_COOKIE, token, { maxAgeSeconds: SESSION_ABSOLUTE_MS / 1000 });
  ctx.session = session;
  ctx.user = user;
  return session;
}

export async function endSession(ctx: AppContext): Promise<void> {
  if (ctx.session) await revokeSession(ctx, ctx.session.userId, ctx.session.id);
  ctx.cookies.clear(SESSION_COOKIE);
  ctx.session = null;
  ctx.user = null;
}
