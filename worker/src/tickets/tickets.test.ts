import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { codeIn, deliveredMailTo, mailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { runCron, testContext } from "../../test/outbox";
import { DAY } from "../lib/time";
import { closeSolvedTickets } from "./desk.service";
import { nextState, type TicketEvent } from "./states";
import type { TicketState } from "./tickets.table";

const ERR = "... on Error { message } ... on ValidationError { fieldErrors { field message } }";
const LIMITED = `${ERR} ... on RateLimitedError { retryAfterSeconds }`;
const TICKET = "id subject state topic rating followUpOfId comments { fromSupport authorName bodyHtml }";

const SUBMIT = `mutation ($subject: String!, $description: String!, $topic: TicketTopic!, $sourcePage: String) {
  submitSupportRequest(subject: $subject, description: $description, topic: $topic, sourcePage: $sourcePage) {
    __typename ${LIMITED} ... on SupportTicket { ${TICKET} } } }`;
const REQUEST_CODE = `mutation ($email: String!, $subject: String!, $description: String!, $topic: TicketTopic!) {
  requestSupportCode(email: $email, subject: $subject, description: $description, topic: $topic) { __typename ${LIMITED} ... on CodeSent { email } } }`;
const CONFIRM = `mutation ($email: String!, $code: String!) {
  confirmSupportRequest(email: $email, code: $code) { __typename ${LIMITED} ... on InvalidCodeError { attemptsLeft } ... on CodeSent { email } } }`;
const TICKET_QUERY = `query ($id: ID!, $token: String) { supportTicket(id: $id, accessToken: $token) { ${TICKET} } }`;
const MY_TICKETS = `{ myTickets { ${TICKET} } }`;
const REPLY = `mutation ($id: ID!, $token: String, $body: String!) {
  replyToSupportTicket(id: $id, accessToken: $token, body: $body) { __typename ${LIMITED} ... on SupportReplySent { followUp ticket { ${TICKET} } } } }`;
const SOLVE = `mutation ($id: ID!, $token: String) { solveSupportTicket(id: $id, accessToken: $token) { __typename ${ERR} ... on SupportTicket { state } } }`;
const RATE = `mutation ($id: ID!, $token: String, $good: Boolean!, $comment: String) {
  rateSupportTicket(id: $id, accessToken: $token, good: $good, comment: $comment) { __typename ${ERR} ... on SupportTicket { rating ratingComment } } }`;
const DESK_TICKET = `query ($id: ID!) { deskTicket(id: $id) { id state requesterEmail comments { internal bodyHtml }
  requesterAccount { user { id } emails { address } mfaEnabledAt ssoIdentities { id } } } }`;
const DESK_QUEUE = `query ($state: TicketState, $topic: TicketTopic, $assignee: String) { deskTickets(state: $state, topic: $topic, assignee: $assignee) { id } }`;
const DESK_REPLY = `mutation ($id: ID!, $body: String!, $internal: Boolean!, $state: TicketState) {
  replyToDeskTicket(id: $id, body: $body, internal: $internal, state: $state) { __typename ${ERR} ... on DeskTicket { state } } }`;
const DESK_SET = `mutation ($id: ID!, $state: TicketState!) { setDeskTicketState(id: $id, state: $state) { __typename ${ERR} ... on DeskTicket { state } } }`;
const ASSIGN = `mutation ($id: ID!, $to: ID) { assignDeskTicket(id: $id, assigneeId: $to) { __typename ${ERR} ... on DeskTicket { assignee { id } } } }`;
const RESET_MFA = `mutation ($id: ID!, $reason: String!) { resetTicketRequesterMfa(id: $id, reason: $reason) { __typename ${ERR} ... on User { id } } }`;

const request = (overrides: Record<string, unknown> = {}) => ({
  subject: "Lost my authenticator",
  description: "My phone broke. <script>alert(1)</script> **help**",
  topic: "SIGN_IN_AND_SECURITY",
  ...overrides,
});

async function signedInClient(role: "learner" | "staff" = "learner") {
  const user = await createUser({ role, firstName: role === "staff" ? "Sam" : "Lena" });
  const client = new TestClient();
  await signInAs(client, user);
  return { user, client };
}

async function submitted(client: TestClient) {
  const { submitSupportRequest: ticket } = await client.gql(SUBMIT, request({ sourcePage: "/account/security" }));
  expect(ticket.__typename).toBe("SupportTicket");
  return ticket as { id: string; state: string };
}

/** The token of the newest ticket link emailed to `address`. */
async function linkToken(address: string, subjectPart: string): Promise<{ id: string; token: string }> {
  const mail = await deliveredMailTo(address);
  const all = (await mailTo(address)).filter((m) => m.subject.includes(subjectPart));
  const text = (all.at(-1) ?? mail).text;
  const match = /\/help\/requests\/([^?\s]+)\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error(`no ticket link in "${mail.subject}"`);
  return { id: decodeURIComponent(match[1]!), token: match[2]! };
}

const STATES: TicketState[] = ["new", "open", "pending", "solved", "closed"];

describe("ticket states", () => {
  // Every (state, event) pair: the expected next state, or null for a refusal.
  const expected: [TicketEvent, (TicketState | null)[]][] = [
    [{ kind: "staff-set", to: "open" }, [/*new*/ "open", /*open*/ null, /*pending*/ "open", /*solved*/ "open", /*closed*/ null]],
    [{ kind: "staff-set", to: "pending" }, ["pending", "pending", null, "pending", null]],
    [{ kind: "staff-set", to: "solved" }, ["solved", "solved", "solved", null, null]],
    [{ kind: "staff-set", to: "new" }, [null, null, null, null, null]],
    [{ kind: "staff-set", to: "closed" }, [null, null, null, null, null]],
    [{ kind: "staff-reply" }, ["open", "open", "pending", "solved", null]],
    [{ kind: "requester-reply" }, ["new", "open", "open", "open", null]],
    [{ kind: "requester-solve" }, ["solved", "solved", "solved", null, null]],
    [{ kind: "auto-close" }, [null, null, null, "closed", null]],
  ];
  for (const [event, targets] of expected) {
    it(`${event.kind}${"to" in event ? ` → ${event.to}` : ""}`, () => {
      expect(STATES.map((from) => nextState(from, event))).toEqual(targets);
    });
  }

  it("staff move a ticket through the states in the database, refusing what the machine refuses, each change audited", async () => {
    const { client } = await signedInClient();
    const staff = await signedInClient("staff");
    const ticket = await submitted(client);
    const set = async (state: string) => (await staff.client.gql(DESK_SET, { id: ticket.id, state })).setDeskTicketState;
    expect((await set("PENDING")).state).toBe("PENDING");
    expect((await set("PENDING")).__typename).toBe("ValidationError");
    expect((await set("NEW")).__typename).toBe("ValidationError");
    expect((await set("SOLVED")).state).toBe("SOLVED");
    // A requester's reply reopens a solved ticket.
    const reply = (await client.gql(REPLY, { id: ticket.id, body: "Still broken." })).replyToSupportTicket;
    expect(reply.ticket.state).toBe("OPEN");
    expect(reply.followUp).toBe(false);
    expect((await set("CLOSED")).__typename).toBe("ValidationError");
    const audit = await env.DB.prepare(
      "SELECT data FROM audit_log WHERE subject_type = 'ticket' AND subject_id = ? AND action = 'ticket.state-changed' ORDER BY created_at, rowid",
    )
      .bind(ticket.id)
      .all<{ data: string }>();
    expect(audit.results.map((r) => JSON.parse(r.data)).map((d) => `${d.from}>${d.to}`)).toEqual([
      "new>pending",
      "pending>solved",
      "solved>open",
    ]);
  });

  it("two agents setting a state at once: D1 decides, one change and one audit row", async () => {
    const { client } = await signedInClient();
    const staff = await signedInClient("staff");
    const ticket = await submitted(client);
    const answers = await Promise.all(["SOLVED", "SOLVED"].map((state) => staff.client.gql(DESK_SET, { id: ticket.id, state })));
    expect(answers.map((a) => a.setDeskTicketState.__typename).sort()).toEqual(["DeskTicket", "ValidationError"]);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE subject_id = ? AND action = 'ticket.state-changed'")
      .bind(ticket.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(1);
  });
});

describe("who sees a ticket", () => {
  it("the requester sees public replies only, other users nothing, staff everything; notes are never emailed", async () => {
    const requester = await signedInClient();
    const other = await signedInClient();
    const staff = await signedInClient("staff");
    const ticket = await submitted(requester.client);
    await staff.client.gql(DESK_REPLY, { id: ticket.id, body: "Secret-note: check the IP first.", internal: true });
    const publicReply = await staff.client.gql(DESK_REPLY, {
      id: ticket.id,
      body: "We can reset it. Are you there?",
      internal: false,
      state: "PENDING",
    });
    expect(publicReply.replyToDeskTicket.state).toBe("PENDING");

    const own = (await requester.client.gql(TICKET_QUERY, { id: ticket.id })).supportTicket;
    expect(own.comments.map((c: { bodyHtml: string }) => c.bodyHtml).join()).not.toContain("Secret-note");
    expect(own.comments).toHaveLength(2);
    expect(own.comments[0].bodyHtml).not.toContain("<script");
    expect(own.comments[1]).toMatchObject({ fromSupport: true, authorName: "Sam" });
    const mine = (await requester.client.gql(MY_TICKETS)).myTickets;
    expect(JSON.stringify(mine)).not.toContain("Secret-note");
    expect(mine.map((t: { id: string }) => t.id)).toContain(ticket.id);

    expect((await other.client.gql(TICKET_QUERY, { id: ticket.id })).supportTicket).toBeNull();
    expect((await other.client.gql(TICKET_QUERY, { id: ticket.id, token: "x".repeat(43) })).supportTicket).toBeNull();
    expect((await other.client.gql(REPLY, { id: ticket.id, body: "hi" })).replyToSupportTicket.__typename).toBe("NotFoundError");
    expect((await new TestClient().gql(TICKET_QUERY, { id: ticket.id })).supportTicket).toBeNull();
    const refused = await other.client.gqlResult(DESK_TICKET, { id: ticket.id });
    expect(refused.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const desk = (await staff.client.gql(DESK_TICKET, { id: ticket.id })).deskTicket;
    expect(desk.comments.filter((c: { internal: boolean }) => c.internal)).toHaveLength(1);
    expect(desk.requesterAccount.user.id).toBe(requester.user.id);
    expect(desk.requesterAccount.mfaEnabledAt).toBeNull();

    const reply = await deliveredMailTo(requester.user.email, "New reply: Lost my authenticator");
    expect(reply.text).toContain("We can reset it.");
    for (const mail of await mailTo(requester.user.email)) expect(mail.text + mail.html).not.toContain("Secret-note");

    // The emailed link opens the ticket with no session at all.
    const link = await linkToken(requester.user.email, "New reply");
    const anonymous = (await new TestClient().gql(TICKET_QUERY, { id: link.id, token: link.token })).supportTicket;
    expect(anonymous.id).toBe(ticket.id);
    expect(JSON.stringify(anonymous)).not.toContain("Secret-note");
  });

  it("the queue filters by state, topic and assignee; only staff can be assigned", async () => {
    const requester = await signedInClient();
    const staff = await signedInClient("staff");
    const ticket = await submitted(requester.client);
    const ids = async (vars: Record<string, unknown>) =>
      (await staff.client.gql(DESK_QUEUE, vars)).deskTickets.map((t: { id: string }) => t.id);
    expect(await ids({ state: "NEW", topic: "SIGN_IN_AND_SECURITY" })).toContain(ticket.id);
    expect(await ids({ state: "NEW", topic: "BADGES" })).not.toContain(ticket.id);
    expect((await staff.client.gql(ASSIGN, { id: ticket.id, to: requester.user.id })).assignDeskTicket.__typename).toBe("ValidationError");
    expect((await staff.client.gql(ASSIGN, { id: ticket.id, to: staff.user.id })).assignDeskTicket.assignee.id).toBe(staff.user.id);
    expect(await ids({ assignee: staff.user.id })).toContain(ticket.id);
    expect(await ids({ assignee: "none" })).not.toContain(ticket.id);
  });

  it("the staff MFA reset from a ticket names the ticket in its audit entry", async () => {
    const requester = await signedInClient();
    const staff = await signedInClient("staff");
    const ticket = await submitted(requester.client);
    const reset = (await staff.client.gql(RESET_MFA, { id: ticket.id, reason: "Lost phone, identity checked" })).resetTicketRequesterMfa;
    expect(reset.id).toBe(requester.user.id);
    const audit = await env.DB.prepare("SELECT data FROM audit_log WHERE action = 'mfa.reset-by-staff' AND subject_id = ?")
      .bind(requester.user.id)
      .first<{ data: string }>();
    expect(JSON.parse(audit!.data)).toMatchObject({ ticketId: ticket.id });
  });
});

describe("a signed-out request", () => {
  it("is filed once the emailed code comes back, the same way for an address with or without an account", async () => {
    const account = await createUser();
    const stranger = uniqueEmail("stranger");
    const visitor = new TestClient();
    const answers = [];
    for (const email of [account.email, stranger])
      answers.push((await visitor.gql(REQUEST_CODE, { email, ...request() })).requestSupportCode);
    expect(answers.map((a) => a.__typename)).toEqual(["CodeSent", "CodeSent"]);
    const mails = await Promise.all([account.email, stranger].map((to) => deliveredMailTo(to, "Confirm your Laurel support request")));
    expect(mails[0]!.text.replace(/\d{6}/, "")).toBe(mails[1]!.text.replace(/\d{6}/, ""));

    const wrong = (await visitor.gql(CONFIRM, { email: stranger, code: codeIn(mails[1]!) === "000000" ? "111111" : "000000" }))
      .confirmSupportRequest;
    expect(wrong.__typename).toBe("InvalidCodeError");
    expect((await visitor.gql(CONFIRM, { email: stranger, code: codeIn(mails[1]!) })).confirmSupportRequest.__typename).toBe("CodeSent");
    // A code works once.
    expect((await visitor.gql(CONFIRM, { email: stranger, code: codeIn(mails[1]!) })).confirmSupportRequest.__typename).toBe(
      "InvalidCodeError",
    );

    await deliveredMailTo(stranger, "Request received: Lost my authenticator");
    const link = await linkToken(stranger, "Request received");
    const seen = (await new TestClient().gql(TICKET_QUERY, { id: link.id, token: link.token })).supportTicket;
    expect(seen).toMatchObject({ subject: "Lost my authenticator", state: "NEW" });
    const replied = (await new TestClient().gql(REPLY, { id: link.id, token: link.token, body: "More details." })).replyToSupportTicket;
    expect(replied.ticket.comments).toHaveLength(2);

    // Signed in later with that address verified, the ticket is under My Tickets.
    await visitor.gql(CONFIRM, { email: account.email, code: codeIn(mails[0]!) });
    const owner = new TestClient();
    await signInAs(owner, account);
    await deliveredMailTo(account.email, "Request received: Lost my authenticator");
    expect((await owner.gql(MY_TICKETS)).myTickets.map((t: { subject: string }) => t.subject)).toContain("Lost my authenticator");
  });

  it("is rate-limited per requester", async () => {
    const { client } = await signedInClient();
    for (let i = 0; i < 5; i++) expect((await client.gql(SUBMIT, request())).submitSupportRequest.__typename).toBe("SupportTicket");
    expect((await client.gql(SUBMIT, request())).submitSupportRequest.__typename).toBe("RateLimitedError");
    const visitor = new TestClient();
    const email = uniqueEmail("spam");
    // The code throttle allows one code a minute: the sixth request is stopped by the ticket policy or earlier.
    const first = (await visitor.gql(REQUEST_CODE, { email, ...request() })).requestSupportCode;
    expect(first.__typename).toBe("CodeSent");
    expect((await visitor.gql(REQUEST_CODE, { email, ...request() })).requestSupportCode.__typename).toBe("RateLimitedError");
  });
});

describe("solving, closing and following up", () => {
  it("the requester solves and rates; the cron closes it after AUTO_CLOSE_DAYS; a reply then starts a linked follow-up", async () => {
    const { client } = await signedInClient();
    const ticket = await submitted(client);
    expect((await client.gql(RATE, { id: ticket.id, good: true })).rateSupportTicket.__typename).toBe("ValidationError");
    expect((await client.gql(SOLVE, { id: ticket.id })).solveSupportTicket.state).toBe("SOLVED");
    expect((await client.gql(SOLVE, { id: ticket.id })).solveSupportTicket.__typename).toBe("ValidationError");
    const rated = (await client.gql(RATE, { id: ticket.id, good: false, comment: "Slow." })).rateSupportTicket;
    expect(rated).toMatchObject({ rating: "bad", ratingComment: "Slow." });

    const later = (days: number) => testContext({}, () => Date.now() + days * DAY).ctx;
    await closeSolvedTickets(later(3));
    expect((await client.gql(TICKET_QUERY, { id: ticket.id })).supportTicket.state).toBe("SOLVED");
    expect(await closeSolvedTickets(later(4.01))).toBeGreaterThanOrEqual(1);
    expect((await client.gql(TICKET_QUERY, { id: ticket.id })).supportTicket.state).toBe("CLOSED");

    const reply = (await client.gql(REPLY, { id: ticket.id, body: "It broke again." })).replyToSupportTicket;
    expect(reply.followUp).toBe(true);
    expect(reply.ticket).toMatchObject({ followUpOfId: ticket.id, state: "NEW", subject: "Follow-up: Lost my authenticator" });
    expect((await client.gql(TICKET_QUERY, { id: ticket.id })).supportTicket.comments).toHaveLength(1);
  });

  it("the Worker's Cron Trigger closes a ticket solved more than AUTO_CLOSE_DAYS ago", async () => {
    const { client } = await signedInClient();
    const ticket = await submitted(client);
    await client.gql(SOLVE, { id: ticket.id });
    await env.DB.prepare("UPDATE tickets SET solved_at = ? WHERE id = ?")
      .bind(Date.now() - 5 * DAY, ticket.id)
      .run();
    await runCron();
    expect((await client.gql(TICKET_QUERY, { id: ticket.id })).supportTicket.state).toBe("CLOSED");
  });
});
