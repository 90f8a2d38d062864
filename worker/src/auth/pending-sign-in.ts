import { and, eq, lt, type SQL } from "drizzle-orm";
import { getUserById } from "../accounts/accounts.service";
import type { User } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import { PENDING_SIGN_IN_COOKIE } from "../http/cookies";
import { randomToken, sha256Hex } from "../lib/crypto";
import { SignInExpiredError } from "../lib/errors";
import { MINUTE } from "../lib/time";
import { type PendingSignIn, pendingSignIns } from "./pending-sign-ins.table";

export type { PendingSignIn };

/** Between the factors the user holds this, never a session. */
export const PENDING_SIGN_IN_MS = 5 * MINUTE;
/**
 * Set-up includes installing an authenticator app, which takes longer than typing a code;
 * it still ends well before anything like a session would.
 */
export const PENDING_SETUP_MS = 15 * MINUTE;

export type PendingStage = PendingSignIn["stage"];

export async function startPendingSignIn(ctx: AppContext, user: User, stage: PendingStage, method: string): Promise<PendingSignIn> {
  const now = ctx.now();
  const token = randomToken(32);
  const lifetime = stage === "setup" ? PENDING_SETUP_MS : PENDING_SIGN_IN_MS;
  const previous = ctx.cookies.get(PENDING_SIGN_IN_COOKIE);
  const [, , inserted] = await ctx.db.batch([
    // Housekeeping: expired rows are useless; so is the one this browser held before.
    ctx.db.delete(pendingSignIns).where(lt(pendingSignIns.expiresAt, new Date(now))),
    ctx.db.delete(pendingSignIns).where(eq(pendingSignIns.tokenHash, previous ? await sha256Hex(previous) : "")),
    ctx.db
      .insert(pendingSignIns)
      .values({
        tokenHash: await sha256Hex(token),
        userId: user.id,
        stage,
        method,
        createdAt: new Date(now),
        expiresAt: new Date(now + lifetime),
      })
      .returning(),
  ]);
  ctx.cookies.set(PENDING_SIGN_IN_COOKIE, token, { maxAgeSeconds: lifetime / 1000 });
  return inserted[0]!;
}

export async function getPendingSignIn(ctx: AppContext): Promise<PendingSignIn | null> {
  const token = ctx.cookies.get(PENDING_SIGN_IN_COOKIE);
  if (!token) return null;
  const row = await ctx.db.query.pendingSignIns.findFirst({ where: eq(pendingSignIns.tokenHash, await sha256Hex(token)) });
  return row && row.expiresAt.getTime() > ctx.now() ? row : null;
}

/** The pending sign-in of this browser at one of `stages`, or SignInExpiredError. */
export async function requirePendingSignIn(ctx: AppContext, stages: PendingStage[]): Promise<PendingSignIn> {
  const pending = await getPendingSignIn(ctx);
  if (!pending || !stages.includes(pending.stage)) throw new SignInExpiredError();
  return pending;
}

/**
 * Moves a pending sign-in to its next stage; unexecuted, for the batch of the change that earns
 * it, so a committed change never leaves the sign-in behind. `when` for a change that may not happen.
 */
export function advancePendingSignInStatement(
  ctx: Pick<AppContext, "db" | "now">,
  pending: PendingSignIn,
  stage: PendingStage,
  { rememberDevice = false, when }: { rememberDevice?: boolean; when?: SQL } = {},
) {
  return ctx.db
    .update(pendingSignIns)
    .set({ stage, rememberDevice, expiresAt: new Date(Math.max(pending.expiresAt.getTime(), ctx.now() + PENDING_SIGN_IN_MS)) })
    .where(and(eq(pendingSignIns.tokenHash, pending.tokenHash), when));
}

/** The account a pending sign-in is for, while it may still sign in (a closed or merged account may not). */
export async function requirePendingUser(ctx: AppContext, pending: PendingSignIn): Promise<User> {
  const user = await getUserById(ctx, pending.userId);
  if (user?.status !== "active") throw new SignInExpiredError();
  return user;
}

/**
 * Deletes the pending sign-in and reports whether this request was the one that did: of two
 * racing requests only one may turn it into a session.
 */
export async function consumePendingSignIn(ctx: AppContext, pending: PendingSignIn): Promise<boolean> {
  const deleted = await ctx.db
    .delete(pendingSignIns)
    .where(and(eq(pendingSignIns.tokenHash, pending.tokenHash), eq(pendingSignIns.stage, pending.stage)))
    .returning({ tokenHash: pendingSignIns.tokenHash });
  ctx.cookies.clear(PENDING_SIGN_IN_COOKIE);
  return deleted.length > 0;
}

export async function abandonPendingSignIn(ctx: AppContext): Promise<void> {
  const token = ctx.cookies.get(PENDING_SIGN_IN_COOKIE);
  if (token) await ctx.db.delete(pendingSignIns).where(eq(pendingSignIns.tokenHash, await sha256Hex(token)));
  ctx.cookies.clear(PENDING_SIGN_IN_COOKIE);
}
