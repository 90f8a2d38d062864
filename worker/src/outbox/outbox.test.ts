import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { deliveredMailTo, mailTo, uniqueEmail } from "../../test/client";
import {
  consume,
  downQueue,
  mailProvider,
  makeDue,
  outboxRow,
  providerAccepted,
  recordingQueue,
  runCron,
  testContext,
} from "../../test/outbox";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { DAY, MINUTE } from "../lib/time";
import { MAX_ATTEMPTS, WORK_LEASE_MS } from "./deliver";
import { afterCommit, enqueueDueEvents, QUEUE_LEASE_MS } from "./enqueue";

const message = (to: string) => ({ to, subject: "Your Laurel code", text: "Your code: 424242", html: "<p>424242</p>" });

/** Commits `count` email intents in one batch, as a service does with its change. */
async function commitEmails(ctx: AppContext, addresses: string[]): Promise<string[]> {
  const writes = await Promise.all(addresses.map((a) => emailIntent(ctx, message(a), ctx.now())));
  const [first, ...rest] = writes.map((w) => w.statement);
  await ctx.db.batch([first!, ...rest]);
  return writes.map((w) => w.id);
}

async function waitUntilDone(ids: string[]) {
  await vi.waitFor(
    async () => {
      for (const id of ids) expect((await outboxRow(id))?.status).toBe("done");
    },
    { timeout: 15_000, interval: 100 },
  );
}

describe("the transactional outbox", () => {
  it("keeps an email sealed at rest, hands it to the queue after the commit and empties it once sent", async () => {
    const address = uniqueEmail("sealed");
    const { ctx, settle } = testContext();
    const [id] = await commitEmails(ctx, [address]);
    const stored = await outboxRow(id!);
    expect(stored).toMatchObject({ kind: "email.send", status: "pending", sealed: 1, queuedAt: null, attempts: 0 });
    expect(stored!.payload).not.toContain("424242");
    expect(stored!.payload).not.toContain(address);

    afterCommit(ctx, [id!]);
    await settle();
    expect((await outboxRow(id!))!.queuedAt).not.toBeNull();
    expect((await deliveredMailTo(address)).text).toContain("Your code: 424242");
    await waitUntilDone([id!]);
    expect(await outboxRow(id!)).toMatchObject({ payload: "", attempts: 1, lastError: null });
    await runCron();
    expect(await mailTo(address)).toHaveLength(1);
  });

  it("writes an intent with a key once, however often the request is retried", async () => {
    const { ctx } = testContext();
    const key = `test:${crypto.randomUUID()}`;
    const first = await emailIntent(ctx, message(uniqueEmail()), ctx.now(), { key });
    const again = await emailIntent(ctx, message(uniqueEmail()), ctx.now(), { key });
    await ctx.db.batch([first.statement]);
    await ctx.db.batch([again.statement]);
    const { results } = await env.DB.prepare("select id from outbox_events where key = ?").bind(key).all<{ id: string }>();
    expect(results.map((r) => r.id)).toEqual([first.id]);
  });

  it("drops, unsent, an email that would arrive after the code it carries expired", async () => {
    const { ctx } = testContext();
    const [late, timely] = [uniqueEmail("late"), uniqueEmail("timely")];
    const writes = [
      await emailIntent(ctx, message(late), ctx.now(), { notAfter: ctx.now() - 1 }),
      await emailIntent(ctx, message(timely), ctx.now(), { notAfter: ctx.now() + 10 * MINUTE }),
    ];
    await ctx.db.batch([writes[0]!.statement, writes[1]!.statement]);
    await consume(writes.map((w) => w.id));
    expect(await mailTo(late)).toHaveLength(0);
    expect(await mailTo(timely)).toHaveLength(1);
    for (const w of writes) expect(await outboxRow(w.id)).toMatchObject({ status: "done", payload: "" });
  });

  it("delivers every email exactly once when the queue send fails after the commit: the cron hands them over", async () => {
    const addresses = [uniqueEmail("crash"), uniqueEmail("crash"), uniqueEmail("crash")];
    const { ctx, settle } = testContext({ OUTBOX: downQueue });
    const ids = await commitEmails(ctx, addresses);
    afterCommit(ctx, ids);
    await settle();
    // The refused events are given back at once, not left to wait for the lease.
    for (const id of ids) expect(await outboxRow(id)).toMatchObject({ status: "pending", queuedAt: null });
    expect(await mailTo(addresses[0]!)).toHaveLength(0);

    await runCron();
    for (const address of addresses) await deliveredMailTo(address);
    await waitUntilDone(ids);
    await runCron();
    for (const address of addresses) expect(await mailTo(address)).toHaveLength(1);
  });

  it("hands each due event to exactly one of two overlapping cron runs", async () => {
    const addresses = Array.from({ length: 60 }, () => uniqueEmail("cron"));
    const { ctx } = testContext();
    // No fast path: as if every request had stopped right after its commit.
    const ids = await commitEmails(ctx, addresses);
    const a = recordingQueue();
    const b = recordingQueue();
    await Promise.all([enqueueDueEvents(testContext({ OUTBOX: a.queue }).ctx), enqueueDueEvents(testContext({ OUTBOX: b.queue }).ctx)]);
    const mine = new Set(ids);
    const handedOver = [...a.sentIds, ...b.sentIds].filter((id) => mine.has(id));
    expect(handedOver.sort()).toEqual([...ids].sort());
    for (const address of addresses) await deliveredMailTo(address);
    await waitUntilDone(ids);
    for (const address of addresses) expect(await mailTo(address)).toHaveLength(1);
  });

  it("sends once when two consumers get the same event (a duplicate message)", async () => {
    const address = uniqueEmail("twice");
    const [id] = await commitEmails(testContext().ctx, [address]);
    const results = await Promise.all([consume([id!]), consume([id!])]);
    expect(results.every((r) => r.acked)).toBe(true);
    expect(await mailTo(address)).toHaveLength(1);
    expect(await outboxRow(id!)).toMatchObject({ status: "done", attempts: 1 });
  });

  it("retries an email the mail provider refused, after a backoff, and delivers it once the provider takes it", async () => {
    const address = uniqueEmail("refused");
    const [id] = await commitEmails(testContext().ctx, [address]);
    const before = Date.now();
    expect((await consume([id!], mailProvider("wrong-key"))).acked).toBe(true);
    const failed = await outboxRow(id!);
    expect(failed).toMatchObject({ status: "pending", attempts: 1, queuedAt: null, claimedUntil: null });
    expect(failed!.lastError).toMatch(/401/);
    expect(failed!.availableAt).toBeGreaterThanOrEqual(before + MINUTE);

    // Not due yet: neither the cron nor a stray message takes it.
    const early = recordingQueue({ forward: false });
    await enqueueDueEvents(testContext({ OUTBOX: early.queue }).ctx);
    expect(early.sentIds).not.toContain(id);
    await consume([id!], mailProvider());
    expect(await providerAccepted(address)).toHaveLength(0);

    await makeDue(id!);
    const due = recordingQueue({ forward: false });
    await enqueueDueEvents(testContext({ OUTBOX: due.queue }).ctx);
    expect(due.sentIds).toContain(id);
    await consume([id!], mailProvider());
    expect(await providerAccepted(address)).toHaveLength(1);
    expect(await outboxRow(id!)).toMatchObject({ status: "done", attempts: 2 });
  });

  it(`marks an event failed, with its error, after ${MAX_ATTEMPTS} tries, and leaves it alone then`, async () => {
    const address = uniqueEmail("poison");
    const [id] = await commitEmails(testContext().ctx, [address]);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      await makeDue(id!);
      await consume([id!], mailProvider("wrong-key"));
    }
    const failed = await outboxRow(id!);
    expect(failed).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS, payload: "" });
    expect(failed!.lastError).toMatch(/401/);
    expect(failed!.finishedAt).not.toBeNull();

    await makeDue(id!);
    const later = recordingQueue({ forward: false });
    await enqueueDueEvents(testContext({ OUTBOX: later.queue }, () => Date.now() + DAY).ctx);
    expect(later.sentIds).not.toContain(id);
    await consume([id!], mailProvider());
    expect(await providerAccepted(address)).toHaveLength(0);
    expect((await outboxRow(id!))!.attempts).toBe(MAX_ATTEMPTS);
  });

  it("takes an event back from a consumer that stopped mid-work once its lease ran out", async () => {
    const address = uniqueEmail("stopped");
    const [id] = await commitEmails(testContext().ctx, [address]);
    const now = Date.now();
    // Queued and claimed by a consumer that then died.
    await env.DB.prepare("update outbox_events set queued_at = ?, claimed_until = ?, attempts = 1 where id = ?")
      .bind(now, now + WORK_LEASE_MS, id)
      .run();
    const meanwhile = recordingQueue({ forward: false });
    await enqueueDueEvents(testContext({ OUTBOX: meanwhile.queue }).ctx);
    expect(meanwhile.sentIds).not.toContain(id);
    await consume([id!]);
    expect(await mailTo(address)).toHaveLength(0);

    const later = recordingQueue({ forward: false });
    await enqueueDueEvents(testContext({ OUTBOX: later.queue }, () => now + QUEUE_LEASE_MS + 1).ctx);
    expect(later.sentIds).toContain(id);
    await env.DB.prepare("update outbox_events set claimed_until = ? where id = ?")
      .bind(now - 1, id)
      .run();
    await consume([id!]);
    expect(await mailTo(address)).toHaveLength(1);
    expect(await outboxRow(id!)).toMatchObject({ status: "done", attempts: 2 });
  });

  it("forgets done events after a week and failed ones after a month", async () => {
    const insert = (id: string, status: string, finishedAt: number) =>
      env.DB.prepare(
        "insert into outbox_events (id, kind, payload, status, created_at, available_at, finished_at) values (?, 'test', '{}', ?, ?, ?, ?)",
      ).bind(id, status, finishedAt, finishedAt, finishedAt);
    const ids = Array.from({ length: 4 }, () => crypto.randomUUID());
    const now = Date.now();
    await env.DB.batch([
      insert(ids[0]!, "done", now - 8 * DAY),
      insert(ids[1]!, "done", now - 6 * DAY),
      insert(ids[2]!, "failed", now - 31 * DAY),
      insert(ids[3]!, "failed", now - 8 * DAY),
    ]);
    await runCron();
    expect(await Promise.all(ids.map(async (id) => (await outboxRow(id)) !== null))).toEqual([false, true, false, true]);
  });
});
