import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { issuerWithBadgeClass } from "../../test/badges";
import { deliveredMailTo, mailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
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
import { getUserById } from "../accounts/accounts.service";
import { awardBadge } from "./awards.service";
import { bulkAward } from "./bulk-award";

async function issuerAndBadgeClass() {
  const owner = await createUser();
  const client = new TestClient();
  await signInAs(client, owner);
  const { badgeClass } = await issuerWithBadgeClass(client);
  const user = await getUserById(testContext().ctx, owner.id);
  if (!user) throw new Error("the owner was just created");
  return { user, badgeClassId: badgeClass.id as string };
}

const notifiedAt = async (awardId: string) =>
  (await env.DB.prepare("select notified_at from awards where id = ?").bind(awardId).first<{ notified_at: number | null }>())!.notified_at;

const eventOfAward = async (awardId: string) =>
  (await env.DB.prepare("select id from outbox_events where key = ?").bind(`award.created:${awardId}`).first<{ id: string }>())?.id;

const csvFor = (addresses: string[]) => `email,name\n${addresses.map((a, i) => `${a},Learner ${i}`).join("\n")}\n`;

describe("award emails through the outbox", () => {
  it("answers a single award whose email fails with the award, and sends the email once the provider takes it", async () => {
    const { user, badgeClassId } = await issuerAndBadgeClass();
    const recipient = uniqueEmail("single");
    const lost = recordingQueue({ forward: false });
    const { ctx, settle } = testContext({ ...mailProvider("wrong-key"), OUTBOX: lost.queue });
    const award = await awardBadge(ctx, user, badgeClassId, { email: recipient });
    await settle();
    expect(award.recipientEmail).toBe(recipient);
    const eventId = await eventOfAward(award.id);
    expect(lost.sentIds).toEqual([eventId]);

    await consume(lost.sentIds, mailProvider("wrong-key"));
    expect(await outboxRow(eventId!)).toMatchObject({ status: "pending", attempts: 1 });
    expect((await outboxRow(eventId!))!.lastError).toMatch(/401/);
    expect(await notifiedAt(award.id)).toBeNull();

    await makeDue(eventId!);
    await consume(lost.sentIds, mailProvider());
    await consume(lost.sentIds, mailProvider());
    expect(await providerAccepted(recipient)).toHaveLength(1);
    expect(await notifiedAt(award.id)).not.toBeNull();
    expect(await outboxRow(eventId!)).toMatchObject({ status: "done", attempts: 2 });
  });

  it("emails every recipient of a bulk award once when the Worker could not reach the queue after the commit", async () => {
    const { user, badgeClassId } = await issuerAndBadgeClass();
    const recipients = Array.from({ length: 30 }, () => uniqueEmail("bulk-crash"));
    const { ctx, settle } = testContext({ OUTBOX: downQueue });
    expect(await bulkAward(ctx, user, badgeClassId, csvFor(recipients))).toEqual({ created: 30, alreadyAwarded: 0, rows: 30 });
    await settle();
    const { results } = await env.DB.prepare(
      "select e.status, e.queued_at from outbox_events e join awards a on e.key = 'award.created:' || a.id where a.badge_class_id = ?",
    )
      .bind(badgeClassId)
      .all<{ status: string; queued_at: number | null }>();
    expect(results).toHaveLength(30);
    expect(results.every((r) => r.status === "pending" && r.queued_at === null)).toBe(true);

    await runCron();
    for (const address of recipients) await deliveredMailTo(address);
    await runCron();
    for (const address of recipients) expect(await mailTo(address)).toHaveLength(1);
  });

  it("queues, when the same file is uploaded again, only the awards whose email never went", async () => {
    const { user, badgeClassId } = await issuerAndBadgeClass();
    const recipients = Array.from({ length: 10 }, () => uniqueEmail("reupload"));
    const csv = csvFor(recipients);
    const firstQueue = recordingQueue({ forward: false });
    const first = testContext({ OUTBOX: firstQueue.queue });
    await bulkAward(first.ctx, user, badgeClassId, csv);
    await first.settle();
    const events = firstQueue.sentIds;
    expect(events).toHaveLength(10);
    const awardIdOf = async (eventId: string) => (JSON.parse((await outboxRow(eventId))!.payload) as { awardId: string }).awardId;
    const awardIds = await Promise.all(events.map(awardIdOf));

    // Six were emailed; two are still on their way; one event failed for good; one award has
    // no event at all (as if awarded before the outbox existed).
    await consume(events.slice(0, 6));
    await env.DB.prepare("update outbox_events set status = 'failed', finished_at = ? where id = ?").bind(Date.now(), events[8]).run();
    await env.DB.prepare("delete from outbox_events where id = ?").bind(events[9]).run();

    const againQueue = recordingQueue({ forward: false });
    const again = testContext({ OUTBOX: againQueue.queue });
    expect(await bulkAward(again.ctx, user, badgeClassId, csv)).toEqual({ created: 0, alreadyAwarded: 10, rows: 10 });
    await again.settle();
    expect((await Promise.all(againQueue.sentIds.map(awardIdOf))).sort()).toEqual([awardIds[8], awardIds[9]].sort());
    expect(await outboxRow(events[6]!)).toMatchObject({ status: "pending" });

    await consume([...events.slice(6, 8), ...againQueue.sentIds]);
    for (const address of recipients) expect(await mailTo(address)).toHaveLength(1);
  });
});
