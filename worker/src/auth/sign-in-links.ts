import { and, eq, gt, lt } from "drizzle-orm";
import type { AppContext } from "../context";
import { randomToken, sha256Hex } from "../lib/crypto";
import { MINUTE } from "../lib/time";
import { type SignInLink, signInLinks } from "./sign-in-links.table";

export const SIGN_IN_LINK_MS = 30 * MINUTE;

/** A new link for `userId`, unexecuted for the batch that emails it; expired links are swept in the same go. */
export async function newSignInLink(ctx: Pick<AppContext, "db" | "config">, email: string, userId: string, now: number) {
  const token = randomToken(32);
  const expiresAt = now + SIGN_IN_LINK_MS;
  return {
    url: `${ctx.config.appUrl}/sign-in?email=${encodeURIComponent(email)}&unlock=${token}`,
    expiresAt,
    statements: [
      ctx.db.delete(signInLinks).where(lt(signInLinks.expiresAt, new Date(now))),
      ctx.db
        .insert(signInLinks)
        .values({ tokenHash: await sha256Hex(token), userId, createdAt: new Date(now), expiresAt: new Date(expiresAt) }),
    ] as const,
  };
}

/**
 * The live link a token names, if it belongs to `userId`. Looked up whatever the address, so
 * the work depends only on what the visitor sent, never on whether the address has an account.
 */
export async function findSignInLink(
  ctx: Pick<AppContext, "db">,
  token: string,
  userId: string | null,
  now: number,
): Promise<SignInLink | null> {
  const row = await ctx.db.query.signInLinks.findFirst({
    where: and(eq(signInLinks.tokenHash, await sha256Hex(token)), gt(signInLinks.expiresAt, new Date(now))),
  });
  return row && row.userId === userId ? row : null;
}

/** Spends the link; of two racing sign-ins with it, only the one whose delete found it may go on. */
export async function consumeSignInLink(ctx: Pick<AppContext, "db">, link: SignInLink): Promise<boolean> {
  const deleted = await ctx.db
    .delete(signInLinks)
    .where(eq(signInLinks.tokenHash, link.tokenHash))
    .returning({ tokenHash: signInLinks.tokenHash });
  return deleted.length > 0;
}
