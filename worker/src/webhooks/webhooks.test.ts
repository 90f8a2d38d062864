import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it, vi } from "vitest";
import { bearerGql, insertApiToken } from "../../test/api-tokens";
import { AWARD, CREATE_ISSUER, insertMembership, issuerWithBadgeClass } from "../../test/badges";
import { deliveredMailTo, mailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { CLAIM, DECIDE, microCredential, passingScores, submitted } from "../../test/microcredentials";
import { testContext } from "../../test/outbox";
import { award, pathwaySetup, publishedPathway, signedIn, subscribe } from "../../test/pathways";
import { DAY, HOUR, MINUTE } from "../lib/time";
import { fanOut, MAX_ATTEMPTS, RETRY_DELAYS_MS, sendDueWebhooks } from "./deliveries.service";
import { destinationProblem } from "./destinations";

const ERRORS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";
const ENDPOINT = "id url events status secretHint disabledReason";
const CREATE = `mutation ($issuerId: ID!, $input: WebhookEndpointInput!) {
  createWebhookEndpoint(issuerId: $issuerId, input: $input) { ${ERRORS} ... on WebhookSecretShown { secret endpoint { ${ENDPOINT} } } }
}`;
const ROTATE = `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { ${ERRORS} ... on WebhookSecretShown { secret endpoint { secretHint } } } }`;
const ENABLE = `mutation ($id: ID!, $enabled: Boolean!) { setWebhookEndpointEnabled(id: $id, enabled: $enabled) { ${ERRORS} ... on WebhookEndpoint { ${ENDPOINT} } } }`;
const DELIVERY = "id eventType status attempts payload log { statusCode latencyMs responseExcerpt error }";
const TEST_EVENT = `mutation ($id: ID!) { sendTestWebhook(endpointId: $id) { ${ERRORS} ... on WebhookDelivery { ${DELIVERY} } } }`;
const REDELIVER = `mutation ($id: ID!) { redeliverWebhook(id: $id) { ${ERRORS} ... on WebhookDelivery { ${DELIVERY} } } }`;
const ENDPOINTS = `query ($id: ID!) { issuer(id: $id) { webhookEndpoints { ${ENDPOINT} deliveries { ${DELIVERY} } } } }`;

interface Received {
  headers: Record<string, string>;
  body: string;
}
const receiver = () => inject("webhookReceiverUrl");
/** A fresh path on the loopback receiver, and what it received so far. */
function hook() {
  const name = crypto.randomUUID();
  return {
    url: `${receiver()}/hooks/${name}`,
    plan: (plan: { failures: number; status?: number; redirect?: string }) =>
      fetch(`${receiver()}/plans/${name}`, { method: "PUT", body: JSON.stringify(plan) }),
    received: async (): Promise<Received[]> => (await fetch(`${receiver()}/received/${name}`)).json(),
    /** Waits until it received `count` requests (the queue delivers a moment after the answer). */
    receivedAtLeast: (count: number) =>
      vi.waitFor(
        async () => {
          const got: Received[] = await (await fetch(`${receiver()}/received/${name}`)).json();
          if (got.length < count) throw new Error(`received ${got.length} of ${count}`);
          return got;
        },
        { timeout: 15_000, interval: 100 },
      ),
  };
}

async function ownerWithIssuer() {
  const owner = await createUser();
  const client = new TestClient();
  await signInAs(client, owner);
  const { issuer, badgeClass } = await issuerWithBadgeClass(client);
  return { owner, client, issuer, badgeClass };
}

async function endpointFor(client: TestClient, issuerId: string, url: string, events = ["award.created"]) {
  const created = (await client.gql(CREATE, { issuerId, input: { url, events, description: "LMS" } })).createWebhookEndpoint;
  if (created.__typename !== "WebhookSecretShown") throw new Error(JSON.stringify(created));
  return created as { secret: string; endpoint: { id: string } };
}

const deliveryRow = (id: string) =>
  env.DB.prepare("select * from webhook_deliveries where id = ?")
    .bind(id)
    .first<{ status: string; attempts: number; next_attempt_at: number }>();

describe("webhooks", () => {
  it("deliver an award signed as Standard Webhooks says, logged, redeliverable with the same id, and signed with a rotated secret", async () => {
    const { client, issuer, badgeClass } = await ownerWithIssuer();
    const target = hook();
    const { secret, endpoint } = await endpointFor(client, issuer.id, target.url);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // Sealed at rest: the secret is in no column, and no read shows it again.
    const row = await env.DB.prepare("select * from webhook_endpoints where id = ?").bind(endpoint.id).first<Record<string, unknown>>();
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));
    expect(JSON.stringify(await client.gql(ENDPOINTS, { id: issuer.id }))).not.toContain(secret.slice(6));

    const email = uniqueEmail("hooked");
    const award = (await client.gql(AWARD, { badgeClassId: badgeClass.id, input: { email, recipientName: "Ada" } })).awardBadge;
    const [request] = await target.receivedAtLeast(1);
    const payload = new Webhook(secret).verify(request!.body, request!.headers) as { type: string; timestamp: string; data: any };
    expect(payload).toMatchObject({
      type: "award.created",
      data: { awardId: award.id, badgeClassId: badgeClass.id, badgeClassName: "Formative Assessment", recipientEmail: email },
    });
    expect(request!.headers["webhook-id"]).toMatch(/^msg_/);
    expect(() => new Webhook(`whsec_${btoa("a".repeat(32))}`).verify(request!.body, request!.headers)).toThrow();

    const listed = await vi.waitFor(async () => {
      const [hooked] = (await client.gql(ENDPOINTS, { id: issuer.id })).issuer.webhookEndpoints;
      if (hooked.deliveries[0]?.status !== "SUCCEEDED") throw new Error("not logged yet");
      return hooked;
    });
    expect(listed.deliveries[0]).toMatchObject({ eventType: "award.created", attempts: 1 });
    expect(listed.deliveries[0].log).toEqual([
      expect.objectContaining({ statusCode: 200, responseExcerpt: '{"received":true}', error: null }),
    ]);

    const again = (await client.gql(REDELIVER, { id: request!.headers["webhook-id"] })).redeliverWebhook;
    expect(again).toMatchObject({ __typename: "WebhookDelivery", status: "PENDING" });
    const [, second] = await target.receivedAtLeast(2);
    expect(second!.headers["webhook-id"]).toBe(request!.headers["webhook-id"]);
    expect(second!.body).toBe(request!.body);

    const rotated = (await client.gql(ROTATE, { id: endpoint.id })).rotateWebhookSecret;
    expect(rotated.secret).not.toBe(secret);
    expect(rotated.endpoint.secretHint).toBe(`whsec_…${rotated.secret.slice(-4)}`);
    expect((await client.gql(TEST_EVENT, { id: endpoint.id })).sendTestWebhook.eventType).toBe("webhook.test");
    const [, , test] = await target.receivedAtLeast(3);
    expect((new Webhook(rotated.secret).verify(test!.body, test!.headers) as { type: string }).type).toBe("webhook.test");
    expect(() => new Webhook(secret).verify(test!.body, test!.headers)).toThrow();
  });

  it("tell of a recipient's first acceptance only, not of showing a hidden badge again", async () => {
    const { client, issuer, badgeClass } = await ownerWithIssuer();
    const target = hook();
    const { secret } = await endpointFor(client, issuer.id, target.url, ["award.accepted"]);
    const recipient = await createUser();
    const award = (await client.gql(AWARD, { badgeClassId: badgeClass.id, input: { email: recipient.email } })).awardBadge;
    const learner = new TestClient();
    await signInAs(learner, recipient);
    const accept = `mutation ($id: ID!) { acceptBadge(id: $id) { __typename } }`;
    expect((await learner.gql(accept, { id: award.id })).acceptBadge.__typename).toBe("Award");
    await learner.gql(`mutation ($id: ID!) { hideBadge(id: $id) { __typename } }`, { id: award.id });
    expect((await learner.gql(accept, { id: award.id })).acceptBadge.__typename).toBe("Award");
    const [request] = await target.receivedAtLeast(1);
    expect(new Webhook(secret).verify(request!.body, request!.headers)).toMatchObject({
      type: "award.accepted",
      data: { awardId: award.id, acceptedAt: expect.any(String) },
    });
    const events = await env.DB.prepare("select count(*) as n from outbox_events where kind = 'award.accepted' and key = ?")
      .bind(`award.accepted:${award.id}`)
      .first<{ n: number }>();
    expect(events?.n).toBe(1);
  });

  it("retry a failing receiver on their own backoff until it answers, without following a redirect", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const target = hook();
    const { endpoint } = await endpointFor(client, issuer.id, target.url);
    await target.plan({ failures: 1, redirect: "http://127.0.0.1:1/elsewhere" });
    let clock = Date.now() - 2 * HOUR;
    const { ctx } = testContext({}, () => clock);
    const key = `award.created:${crypto.randomUUID()}`;
    await fanOut(ctx, { issuerId: issuer.id, type: "award.created", key, occurredAt: new Date(clock), data: { awardId: "a1" } });
    // Twice: the unique (endpoint, event) index makes a repeated fan-out deliver once.
    await fanOut(ctx, { issuerId: issuer.id, type: "award.created", key, occurredAt: new Date(clock), data: { awardId: "a1" } });
    const id = (await env.DB.prepare("select id from webhook_deliveries where endpoint_id = ?").bind(endpoint.id).all<{ id: string }>())
      .results;
    expect(id).toHaveLength(1);
    const deliveryId = id[0]!.id;
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "pending", attempts: 1, next_attempt_at: clock + MINUTE });

    await target.plan({ failures: 2, status: 503 });
    clock += 30_000;
    await sendDueWebhooks(ctx);
    expect((await deliveryRow(deliveryId))?.attempts).toBe(1); // Not due yet.
    clock += 30_000;
    await sendDueWebhooks(ctx);
    expect(await deliveryRow(deliveryId)).toMatchObject({ attempts: 2, next_attempt_at: clock + 5 * MINUTE });
    clock += 5 * MINUTE;
    await sendDueWebhooks(ctx);
    expect(await deliveryRow(deliveryId)).toMatchObject({ attempts: 3, next_attempt_at: clock + 30 * MINUTE });
    clock += 30 * MINUTE;
    await sendDueWebhooks(ctx);
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "succeeded", attempts: 4 });

    const received = await target.received();
    expect(received).toHaveLength(4);
    expect(new Set(received.map((r) => r.headers["webhook-id"]))).toEqual(new Set([deliveryId]));
    const [hooked] = (await client.gql(ENDPOINTS, { id: issuer.id })).issuer.webhookEndpoints;
    expect(hooked.deliveries[0].log.map((a: { statusCode: number }) => a.statusCode)).toEqual([200, 503, 503, 302]);
    expect(hooked.deliveries[0].log[1].responseExcerpt).toContain("not yet");
    expect(hooked.status).toBe("ENABLED");
  });

  it("keep trying for more than 24 hours, then disable an endpoint that never answered and email the owners only", async () => {
    expect(RETRY_DELAYS_MS.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(DAY);
    const { owner, client, issuer } = await ownerWithIssuer();
    const awarder = await createUser();
    await insertMembership(issuer.id, awarder.id, "awarder");
    const target = hook();
    const { endpoint } = await endpointFor(client, issuer.id, target.url);
    await target.plan({ failures: 1000, status: 500 });
    // In the past, so the owners' email (an outbox event at that time) is due for the real queue.
    const start = Date.now() - 30 * HOUR;
    let clock = start;
    const { ctx } = testContext({}, () => clock);
    await fanOut(ctx, {
      issuerId: issuer.id,
      type: "award.created",
      key: `award.created:${crypto.randomUUID()}`,
      occurredAt: new Date(clock),
      data: {},
    });
    const { id } = (await env.DB.prepare("select id from webhook_deliveries where endpoint_id = ?")
      .bind(endpoint.id)
      .first<{ id: string }>())!;
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      clock = (await deliveryRow(id))!.next_attempt_at;
      await sendDueWebhooks(ctx);
      expect((await deliveryRow(id))?.attempts).toBe(attempt);
    }
    expect(clock - start).toBeGreaterThanOrEqual(DAY);
    expect((await deliveryRow(id))?.status).toBe("failed");
    expect(await target.received()).toHaveLength(MAX_ATTEMPTS);

    const [hooked] = (await client.gql(ENDPOINTS, { id: issuer.id })).issuer.webhookEndpoints;
    expect(hooked).toMatchObject({ status: "DISABLED", disabledReason: expect.stringContaining("24 hours") });
    const mail = await deliveredMailTo(owner.email, `A webhook endpoint of ${issuer.name} was disabled`);
    expect(mail.text).toContain(target.url);
    expect(await mailTo(awarder.email)).toEqual([]);

    // Disabled: new events make no delivery to it; enabled again, it gets them.
    const later = `award.created:${crypto.randomUUID()}`;
    await fanOut(ctx, { issuerId: issuer.id, type: "award.created", key: later, occurredAt: new Date(clock), data: {} });
    const count = async () =>
      (await env.DB.prepare("select count(*) as n from webhook_deliveries where endpoint_id = ?").bind(endpoint.id).first<{ n: number }>())
        ?.n;
    expect(await count()).toBe(1);
    expect((await client.gql(ENABLE, { id: endpoint.id, enabled: true })).setWebhookEndpointEnabled.status).toBe("ENABLED");
    await fanOut(ctx, { issuerId: issuer.id, type: "award.created", key: later, occurredAt: new Date(clock), data: {} });
    expect(await count()).toBe(2);
  });

  it("are managed by the issuer's owners only, and a token reaches its own issuer's endpoints only", async () => {
    const { owner, client, issuer } = await ownerWithIssuer();
    const { endpoint } = await endpointFor(client, issuer.id, hook().url);
    const other = (
      await client.gql(CREATE_ISSUER, { input: { name: "Other College", url: "https://other.example.org", email: "o@example.org" } })
    ).createIssuer;
    const { endpoint: otherEndpoint } = await endpointFor(client, other.id, hook().url);

    const awarder = await createUser();
    await insertMembership(issuer.id, awarder.id, "awarder");
    const member = new TestClient();
    await signInAs(member, awarder);
    expect(
      (await member.gql(CREATE, { issuerId: issuer.id, input: { url: hook().url, events: ["award.created"] } })).createWebhookEndpoint
        .__typename,
    ).toBe("ForbiddenError");
    expect((await member.gql(TEST_EVENT, { id: endpoint.id })).sendTestWebhook.__typename).toBe("ForbiddenError");
    const seen = await member.gqlResult(ENDPOINTS, { id: issuer.id });
    expect(seen.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const { token } = await insertApiToken({ userId: owner.id, issuerId: issuer.id, scopes: ["webhooks:write", "issuer:read"] });
    const own = await bearerGql(token, ENDPOINTS, { id: issuer.id });
    expect(own.data?.issuer?.webhookEndpoints.map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
    const theirs = await bearerGql(token, ENDPOINTS, { id: other.id });
    expect(JSON.stringify(theirs)).not.toContain(otherEndpoint.id);
    expect((await bearerGql(token, TEST_EVENT, { id: otherEndpoint.id })).data?.sendTestWebhook.__typename).toBe("NotFoundError");
    expect((await bearerGql(token, ENABLE, { id: otherEndpoint.id, enabled: false })).data?.setWebhookEndpointEnabled.__typename).toBe(
      "NotFoundError",
    );
    const { token: reader } = await insertApiToken({ userId: owner.id, issuerId: issuer.id, scopes: ["issuer:read"] });
    const refused = await bearerGql(reader, TEST_EVENT, { id: endpoint.id });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: "INSUFFICIENT_SCOPE", scope: "webhooks:write" });
  });

  it("carry hand-ins and decisions without naming a blind-reviewed learner, and pathway completions with the learner", async () => {
    const s = await microCredential({ blindReview: true });
    const target = hook();
    const { secret } = await endpointFor(s.ownerClient, s.issuerId, target.url, ["submission.submitted", "submission.decided"]);
    const submission = await submitted(s);
    expect((await s.assessorClient.gql(CLAIM, { id: submission.id })).claimSubmission.__typename).toBe("Submission");
    const decided = (await s.assessorClient.gql(DECIDE, { id: submission.id, decision: "AWARDED", scores: passingScores(s) }))
      .decideSubmission;
    expect(decided.__typename).toBe("Submission");
    const bodies = (await target.receivedAtLeast(2)).map(
      (r) => new Webhook(secret).verify(r.body, r.headers) as { type: string; data: any },
    );
    const byType = Object.fromEntries(bodies.map((b) => [b.type, b.data]));
    expect(byType["submission.submitted"]).toMatchObject({
      submissionId: submission.id,
      badgeClassName: "Formative Assessment",
      state: "submitted",
      learner: null,
    });
    expect(byType["submission.decided"]).toMatchObject({
      submissionId: submission.id,
      decision: "awarded",
      awardId: expect.any(String),
      learner: null,
    });
    expect(JSON.stringify(bodies)).not.toContain(s.learner.email);

    const p = await pathwaySetup();
    const pathwayHook = hook();
    await endpointFor(p.ownerClient, p.issuerId, pathwayHook.url, ["pathway.completed"]);
    const pathway = await publishedPathway(p, { junction: "ALL", badgeClassIds: [p.badges.a] });
    const learner = await signedIn();
    await subscribe(p, pathway.id, learner);
    await award(p, p.badges.a, learner.user.email);
    const [completed] = await pathwayHook.receivedAtLeast(1);
    expect(JSON.parse(completed!.body)).toMatchObject({
      type: "pathway.completed",
      data: { pathwayId: pathway.id, pathwayName: "Assessment Leader", learner: { id: learner.user.id, email: learner.user.email } },
    });
  });

  it("refuse addresses Laurel must not call and unknown events, creating nothing", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const attempt = async (input: Record<string, unknown>) =>
      (
        await client.gql(CREATE, {
          issuerId: issuer.id,
          input: { url: "https://hooks.example.org/in", events: ["award.created"], ...input },
        })
      ).createWebhookEndpoint;
    expect((await attempt({ url: "http://hooks.example.org/in" })).fieldErrors).toEqual([
      { field: "url", message: "Use an https:// address." },
    ]);
    expect((await attempt({ url: "https://10.0.0.8/in" })).fieldErrors[0].field).toBe("url");
    expect((await attempt({ events: ["award.created", "everything"] })).fieldErrors[0].message).toContain("everything");
    expect((await attempt({ events: [] })).fieldErrors[0].field).toBe("events");
    const n = await env.DB.prepare("select count(*) as n from webhook_endpoints where issuer_id = ?")
      .bind(issuer.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(0);

    for (const url of [
      "http://127.0.0.1:9/x",
      "https://localhost/x",
      "https://192.168.1.4/x",
      "https://169.254.169.254/latest",
      "https://[::1]/x",
      "https://a:b@hooks.example.org/",
    ])
      expect(destinationProblem(url, "production"), url).not.toBeNull();
    expect(destinationProblem("http://127.0.0.1:9/x", "test")).toBeNull();
    expect(destinationProblem("https://hooks.example.org/in", "production")).toBeNull();
  });
});
