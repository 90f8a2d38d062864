import type { User } from "../accounts/accounts.table";
import type { AppContext } from "../context";
import { DEVICE_COOKIE } from "../http/cookies";
import { randomToken, sha256Hex } from "../lib/crypto";
import { kvRecords } from "../lib/kv-records";
import { DAY } from "../lib/time";

/** "Remember this device for 30 days": counted from the sign-in that ticked the box, not renewed by use. */
export const REMEMBER_DEVICE_MS = 30 * DAY;

export interface RememberedDevice {
  id: string;
  userId: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  userAgent: string | null;
}

type Deps = Pick<AppContext, "kv" | "cookies" | "userAgent">;

const devices = kvRecords<RememberedDevice>("device");

async function issue(ctx: Deps, record: Omit<RememberedDevice, "id">, now: number): Promise<RememberedDevice> {
  const token = randomToken(32);
  const device = { ...record, id: await sha256Hex(token) };
  await devices.put(ctx.kv, device, device.expiresAt, now);
  ctx.cookies.set(DEVICE_COOKIE, token, { maxAgeSeconds: Math.ceil((device.expiresAt - now) / 1000) });
  return device;
}

export function rememberDevice(ctx: Deps, userId: string, now: number): Promise<RememberedDevice> {
  return issue(
    ctx,
    { userId, createdAt: now, lastUsedAt: now, expiresAt: now + REMEMBER_DEVICE_MS, userAgent: ctx.userAgent?.slice(0, 300) ?? null },
    now,
  );
}

/**
 * This browser's live remembered device, if its cookie names one of `user`'s (null for no
 * user): read only, so the sign-in can count password guesses on it before the password
 * is checked. The lookup depends on the cookie alone, never on whether the user exists.
 */
export async function findRememberedDevice(ctx: Deps, user: User | null, now: number): Promise<RememberedDevice | null> {
  const token = ctx.cookies.get(DEVICE_COOKIE);
  if (!token) return null;
  const device = await devices.get(ctx.kv, await sha256Hex(token));
  if (!device || !user) return null;
  const trustedFrom = Math.max(user.credentialsChangedAt.getTime(), user.devicesTrustedFrom?.getTime() ?? 0);
  if (device.userId !== user.id || device.expiresAt <= now || device.createdAt < trustedFrom) return null;
  return device;
}

/**
 * If this browser's device cookie is a live remembered device of `user`, replaces it with a
 * fresh token (so a copied cookie works at most once more) and returns true.
 */
export async function useRememberedDevice(ctx: Deps, user: User, now: number): Promise<boolean> {
  const device = await findRememberedDevice(ctx, user, now);
  if (!device) return false;
  await devices.delete(ctx.kv, user.id, device.id);
  await issue(ctx, { ...device, lastUsedAt: now }, now);
  return true;
}

export async function listRememberedDevices(ctx: Pick<AppContext, "kv">, user: User, now: number): Promise<RememberedDevice[]> {
  const trustedFrom = Math.max(user.credentialsChangedAt.getTime(), user.devicesTrustedFrom?.getTime() ?? 0);
  const all = await devices.list(ctx.kv, user.id);
  return all.filter((d) => d.expiresAt > now && d.createdAt >= trustedFrom).sort((a, b) => b.lastUsedAt - a.lastUsedAt);
}

/** Deletes every remembered device of the user. Callers also move `devicesTrustedFrom` so KV's lag cannot revive one. */
export async function forgetAllDevices(ctx: Pick<AppContext, "kv">, userId: string): Promise<number> {
  const all = await devices.list(ctx.kv, userId);
  await Promise.all(all.map((d) => devices.delete(ctx.kv, userId, d.id)));
  return all.length;
}

export async function isCurrentDevice(ctx: Pick<AppContext, "cookies">, device: RememberedDevice): Promise<boolean> {
  const token = ctx.cookies.get(DEVICE_COOKIE);
  return token ? (await sha256Hex(token)) === device.id : false;
}
