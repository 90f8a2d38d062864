import { eq, lt } from "drizzle-orm";
import type { AppContext } from "../context";
import { randomToken, sha256Hex, timingSafeEqual } from "../lib/crypto";
import { MINUTE } from "../lib/time";
import { type SsoFlow, ssoFlows } from "./sso.table";
import { SsoError } from "./sso-error";

/**
 * Holds `state` in the browser that started the flow, so a callback URL carrying someone
 * else's code and state (login CSRF) is refused. Lax: the provider's redirect is a top-level GET.
 */
export const SSO_FLOW_COOKIE = "__Host-laurel_sso";
export const SSO_FLOW_MS = 10 * MINUTE;

export type SsoPurpose = SsoFlow["purpose"];

export interface NewFlow {
  state: string;
  nonce: string;
  codeVerifier: string;
}

export async function storeFlow(
  ctx: AppContext,
  flow: { provider: string; purpose: SsoPurpose; userId: string | null; returnTo: string },
): Promise<NewFlow> {
  const now = ctx.now();
  const secrets = { state: randomToken(32), nonce: randomToken(32), codeVerifier: randomToken(32) };
  await ctx.db.batch([
    // Housekeeping: abandoned flows are useless after they expire.
    ctx.db.delete(ssoFlows).where(lt(ssoFlows.expiresAt, new Date(now))),
    ctx.db.insert(ssoFlows).values({
      stateHash: await sha256Hex(secrets.state),
      provider: flow.provider,
      nonce: secrets.nonce,
      codeVerifier: secrets.codeVerifier,
      purpose: flow.purpose,
      userId: flow.userId,
      returnTo: flow.returnTo,
      expiresAt: new Date(now + SSO_FLOW_MS),
      createdAt: new Date(now),
    }),
  ]);
  ctx.cookies.set(SSO_FLOW_COOKIE, secrets.state, { maxAgeSeconds: SSO_FLOW_MS / 1000 });
  return secrets;
}

/**
 * Deletes the flow and returns it, in one statement, so a callback replayed (or raced)
 * finds nothing. The state must also match this browser's cookie.
 */
export async function consumeFlow(ctx: AppContext, provider: string, state: string | undefined): Promise<SsoFlow> {
  const cookie = ctx.cookies.get(SSO_FLOW_COOKIE);
  ctx.cookies.clear(SSO_FLOW_COOKIE);
  if (!state) throw new SsoError("invalid", "callback without state");
  if (!cookie || !timingSafeEqual(cookie, state)) throw new SsoError("invalid", "state does not match this browser's flow");
  const [flow] = await ctx.db
    .delete(ssoFlows)
    .where(eq(ssoFlows.stateHash, await sha256Hex(state)))
    .returning();
  if (!flow || flow.expiresAt.getTime() <= ctx.now()) throw new SsoError("expired", "no such flow, or it expired");
  if (flow.provider !== provider) throw new SsoError("invalid", `flow for ${flow.provider} came back to ${provider}`);
  return flow;
}

/** Only a path on this site; anything else (another origin, `//host`, `/\host`) becomes `fallback`. */
export function safeReturnTo(appUrl: string, raw: string | undefined, fallback: string): string {
  // Browsers read a backslash as a slash and drop tabs and newlines, so `/\t/host` is `//host`.
  if (!raw?.startsWith("/") || raw.includes("\\") || [...raw].some((ch) => ch.charCodeAt(0) < 0x20) || raw.startsWith("//"))
    return fallback;
  try {
    const base = new URL(appUrl);
    const url = new URL(raw, base);
    if (url.origin !== base.origin) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
