import { reportError } from "../http/report-error";
import { randomToken, sha256Hex } from "../lib/crypto";
import { kvRecords } from "../lib/kv-records";
import { DAY, HOUR } from "../lib/time";

/** A session ends after a week without use, and in any case 30 days after sign-in. */
export const SESSION_IDLE_MS = 7 * DAY;
export const SESSION_ABSOLUTE_MS = 30 * DAY;
/** Last-seen is written back at most this often: KV allows one write a second per key. */
const TOUCH_INTERVAL_MS = HOUR;

export interface Session {
  /** SHA-256 of the cookie token: the only form in which the token is stored. */
  id: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  userAgent: string | null;
  ip: string | null;
}

interface SessionDeps {
  kv: KVNamespace;
}

const sessions = kvRecords<Session>("session");

export async function createSession(
  { kv }: SessionDeps,
  input: { userId: string; userAgent: string | null; ip: string | null },
  now: number,
): Promise<{ token: string; session: Session }> {
  const token = randomToken(32);
  const session: Session = {
    id: await sha256Hex(token),
    userId: input.userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + SESSION_ABSOLUTE_MS,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
    ip: input.ip,
  };
  await writeSession(kv, session, now);
  return { token, session };
}

/**
 * The live session for a cookie token, or null: one KV read, cached by the data center for
 * KV's minimum of 60 s (docs/decisions/019-d1-read-replicas.md says what that means for a
 * revoked session). Its idle expiry is refreshed now and then, after the answer.
 */
export async function getSession(
  { kv, waitUntil }: SessionDeps & { waitUntil(promise: Promise<unknown>): void },
  token: string,
  now: number,
): Promise<Session | null> {
  if (!token) return null;
  const id = await sha256Hex(token);
  const session = await sessions.get(kv, id);
  if (!session || session.expiresAt <= now || session.lastSeenAt + SESSION_IDLE_MS <= now) return null;
  if (now - session.lastSeenAt <= TOUCH_INTERVAL_MS) return session;
  const touched = { ...session, lastSeenAt: now };
  // A failed refresh only means the next request tries again: it must not fail this one.
  waitUntil(writeSession(kv, touched, now).catch((error) => reportError(error, "session refresh")));
  return touched;
}

export async function listSessions({ kv }: SessionDeps, userId: string): Promise<Session[]> {
  return (await sessions.list(kv, userId)).sort((a, b) => b.lastSeenAt - a.lastSeenAt);
}

export async function revokeSession({ kv }: SessionDeps, userId: string, id: string): Promise<void> {
  await sessions.delete(kv, userId, id);
}

/**
 * The user's sessions that still work: one created before the account's credentials last
 * changed is refused by every request (see `visitor.ts`) even while KV still holds it.
 */
export async function listLiveSessions(deps: SessionDeps, user: { id: string; credentialsChangedAt: Date }): Promise<Session[]> {
  return (await listSessions(deps, user.id)).filter((s) => s.createdAt >= user.credentialsChangedAt.getTime());
}

/** Ends every session of the user but `keepId` (password change, reset, "sign out everywhere else"). */
export async function revokeAllSessions(deps: SessionDeps, userId: string, keepId?: string): Promise<number> {
  const doomed = (await listSessions(deps, userId)).filter((s) => s.id !== keepId);
  await Promise.all(doomed.map((s) => revokeSession(deps, userId, s.id)));
  return doomed.length;
}

function writeSession(kv: KVNamespace, session: Session, now: number): Promise<void> {
  // KV expiry is the idle limit, capped by the absolute one.
  return sessions.put(kv, session, Math.min(session.lastSeenAt + SESSION_IDLE_MS, session.expiresAt), now);
}
