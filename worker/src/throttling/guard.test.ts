import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { db } from "../../test/fixtures";
import { MINUTE } from "../lib/time";
import {
  clearAttemptsWithPrefixStatement,
  type GrantedReservation,
  pausedByThis,
  refusedError,
  reserveAttempt,
  settleSuccess,
} from "./guard";
import { ipBucket } from "./ip";
import type { AttemptKey, AttemptPolicy } from "./policies";

const policy = (overrides: Partial<AttemptPolicy> = {}): AttemptPolicy => ({
  name: `test-${crypto.randomUUID()}`,
  limit: 3,
  windowMs: 10 * MINUTE,
  pauseMs: 5 * MINUTE,
  onSuccess: "keep",
  pausedMessage: (d) => `Testing is paused for ${d}.`,
  ...overrides,
});
const keyOf = (p: AttemptPolicy, part = "k"): AttemptKey => ({ policy: p, key: `${p.name}:${part}` });

async function row(key: string) {
  return env.DB.prepare("select * from attempt_windows where key = ?").bind(key).first<{ attempts: number; paused_until: number | null }>();
}

describe("reserveAttempt", () => {
  it("grants exactly the limit to a burst of concurrent attempts, and one of them starts the pause", async () => {
    const p = policy({ limit: 10 });
    const now = Date.now();
    const results = await Promise.all(Array.from({ length: 60 }, () => reserveAttempt(db(), [keyOf(p)], now)));
    const granted = results.filter((r): r is GrantedReservation => r.granted);
    expect(granted).toHaveLength(10);
    expect(granted.filter((r) => pausedByThis(r).length > 0)).toHaveLength(1);
    expect((await row(keyOf(p).key))?.attempts).toBe(10);
  });

  it("refuses while paused with the policy's wording, and starts a fresh window after the pause", async () => {
    const p = policy({ limit: 2, pauseMs: 5 * MINUTE });
    const now = Date.now();
    expect((await reserveAttempt(db(), [keyOf(p)], now)).granted).toBe(true);
    expect((await reserveAttempt(db(), [keyOf(p)], now)).granted).toBe(true);
    const refused = await reserveAttempt(db(), [keyOf(p)], now + MINUTE);
    if (refused.granted) throw new Error("granted while paused");
    expect(refused.retryAfterMs).toBe(4 * MINUTE);
    expect(refusedError(refused)).toMatchObject({ message: "Testing is paused for 4 minutes.", retryAfterSeconds: 240 });
    const later = await reserveAttempt(db(), [keyOf(p)], now + 5 * MINUTE);
    expect(later.granted).toBe(true);
    expect(later.slots[0]?.attempts).toBe(1);
  });

  it("starts a fresh window once the window has passed", async () => {
    const p = policy({ limit: 3, windowMs: MINUTE });
    const now = Date.now();
    await reserveAttempt(db(), [keyOf(p)], now);
    await reserveAttempt(db(), [keyOf(p)], now);
    const next = await reserveAttempt(db(), [keyOf(p)], now + MINUTE);
    expect(next.slots[0]?.attempts).toBe(1);
  });

  it("reserves several keys all together or not at all", async () => {
    const open = policy({ limit: 5 });
    const full = policy({ limit: 1 });
    const now = Date.now();
    expect((await reserveAttempt(db(), [keyOf(full)], now)).granted).toBe(true);
    const refused = await reserveAttempt(db(), [keyOf(open), keyOf(full)], now);
    expect(refused.granted).toBe(false);
    // The open key handed back what it counted in the same batch.
    expect((await row(keyOf(open).key))?.attempts).toBe(0);
    const refusedFirst = await reserveAttempt(db(), [keyOf(full), keyOf(open, "other")], now);
    expect(refusedFirst.granted).toBe(false);
    expect((await row(keyOf(open, "other").key))?.attempts ?? 0).toBe(0);
  });

  it("counts a burst over several keys exactly: the shared key never grants more than its limit", async () => {
    const shared = policy({ limit: 7 });
    const own = policy({ limit: 2 });
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => reserveAttempt(db(), [keyOf(own, String(i % 10)), keyOf(shared)], now)),
    );
    expect(results.filter((r) => r.granted)).toHaveLength(7);
    expect((await row(keyOf(shared).key))?.attempts).toBe(7);
    const owned = await env.DB.prepare("select sum(attempts) as n from attempt_windows where key like ?")
      .bind(`${own.name}:%`)
      .first<{ n: number }>();
    expect(owned?.n).toBe(7);
  });

  it("settles a right guess as each policy says: clear, release or keep", async () => {
    const clear = policy({ onSuccess: "clear" });
    const release = policy({ onSuccess: "release", limit: 2 });
    const keep = policy({ onSuccess: "keep" });
    const now = Date.now();
    await reserveAttempt(db(), [keyOf(release)], now);
    const reservation = await reserveAttempt(db(), [keyOf(clear), keyOf(release), keyOf(keep)], now);
    if (!reservation.granted) throw new Error("refused");
    // The second attempt on `release` reached its limit and paused it; the right guess unpauses it.
    expect((await row(keyOf(release).key))?.paused_until).not.toBeNull();
    await settleSuccess(db(), reservation);
    expect(await row(keyOf(clear).key)).toBeNull();
    expect(await row(keyOf(release).key)).toMatchObject({ attempts: 1, paused_until: null });
    expect((await row(keyOf(keep).key))?.attempts).toBe(1);
  });

  it("forgets keys by prefix without touching a longer address", async () => {
    const p = policy();
    const now = Date.now();
    await reserveAttempt(db(), [keyOf(p, "ana%40example.org:1.2.3.4")], now);
    await reserveAttempt(db(), [keyOf(p, "ana%40example.org:5.6.7.8")], now);
    await reserveAttempt(db(), [keyOf(p, "ana%40example.org.uk:1.2.3.4")], now);
    await db().batch([clearAttemptsWithPrefixStatement(db(), `${p.name}:ana%40example.org:`)]);
    const left = await env.DB.prepare("select key from attempt_windows where key like ?").bind(`${p.name}:%`).all<{ key: string }>();
    expect(left.results.map((r) => r.key)).toEqual([`${p.name}:ana%40example.org.uk:1.2.3.4`]);
  });

  it("deletes rows whose window and pause are over as it goes", async () => {
    const p = policy({ windowMs: MINUTE, pauseMs: MINUTE });
    const past = Date.now() - 10 * MINUTE;
    await reserveAttempt(db(), [keyOf(p, "old")], past);
    await reserveAttempt(db(), [keyOf(p, "new")], Date.now());
    expect(await row(keyOf(p, "old").key)).toBeNull();
  });
});

describe("ipBucket", () => {
  it("counts IPv4 by address and IPv6 by its /64", () => {
    expect(ipBucket("203.0.113.7")).toBe("203.0.113.7");
    expect(ipBucket("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(ipBucket("2001:0DB8:0001:0002::9")).toBe("2001:db8:1:2::/64");
    expect(ipBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(ipBucket("::ffff:198.51.100.4")).toBe("198.51.100.4");
    expect(ipBucket(null)).toBe("unknown");
  });
});
