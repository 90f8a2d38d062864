import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ACCEPT_INVITATION, INVITE, invitationTokenFor, issuerWithBadgeClass, joinIssuer } from "../../test/badges";
import { codeIn, latestMailTo, settledMailTo, TestClient, uniqueEmail } from "../../test/client";
import { createUser, signInAs } from "../../test/fixtures";
import { race, racingContexts } from "../../test/race";
import { InvitationUnavailableError } from "./invitation-errors";
import { acceptIssuerInvitation } from "./invitations.service";

// Joining an issuer: an owner invites an address, and whoever holds it, verified, accepts.

async function signedIn(options: Parameters<typeof createUser>[0] = {}) {
  const user = await createUser(options);
  const client = new TestClient();
  await signInAs(client, user);
  return { user, client };
}

async function ownerWithIssuer() {
  const { user: owner, client } = await signedIn();
  const { issuer } = await issuerWithBadgeClass(client);
  return { owner, client, issuer };
}

const invite = async (client: TestClient, issuerId: string, email: string, role = "AWARDER") =>
  (await client.gql(INVITE, { issuerId, email, role })).inviteIssuerMember;
const accept = async (client: TestClient, token: string) => (await client.gql(ACCEPT_INVITATION, { token })).acceptIssuerInvitation;

const PENDING = "query ($id: ID!) { issuer(id: $id) { invitations { id email role expired } members { userId role } } }";
const LINK = "query ($token: String!) { invitation(token: $token) { email role state issuer { name } } }";
const RESEND = `mutation ($id: ID!) { resendIssuerInvitation(id: $id) { __typename ... on Error { message } ... on InvitationUnavailableError { reason } ... on IssuerInvitation { id } } }`;
const REVOKE = `mutation ($id: ID!) { revokeIssuerInvitation(id: $id) { __typename ... on Error { message } ... on InvitationUnavailableError { reason } ... on Issuer { id } } }`;
const DECLINE = `mutation ($token: String!) { declineIssuerInvitation(token: $token) { __typename ... on InvitationUnavailableError { reason } ... on Invitation { state } } }`;
const SET_ROLE = `mutation ($i: ID!, $u: ID!) { setIssuerMemberRole(issuerId: $i, userId: $u, role: EDITOR) { __typename } }`;

const auditCount = async (action: string, subjectId: string) =>
  (
    await env.DB.prepare("select count(*) as n from audit_log where action = ? and subject_id = ?")
      .bind(action, subjectId)
      .first<{ n: number }>()
  )?.n;
const membershipsOf = async (issuerId: string, userId: string) =>
  (
    await env.DB.prepare("select count(*) as n from issuer_members where issuer_id = ? and user_id = ?")
      .bind(issuerId, userId)
      .first<{ n: number }>()
  )?.n;

describe("inviting", () => {
  it("answers, lists and emails the same for an address with an account and one without", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const { user: holder } = await signedIn();
    const stranger = uniqueEmail("nobody");
    const withAccount = await invite(client, issuer.id, holder.email);
    const withoutAccount = await invite(client, issuer.id, stranger);
    const shape = (answer: Record<string, unknown>, email: string) => ({
      ...answer,
      id: "id",
      email: answer.email === email ? "x" : answer.email,
    });
    expect(shape(withAccount, holder.email)).toEqual(shape(withoutAccount, stranger));
    expect(withAccount).toMatchObject({ __typename: "IssuerInvitation", role: "AWARDER", expired: false });

    const listed = (await client.gql(PENDING, { id: issuer.id })).issuer;
    expect(listed.invitations.map((i: { email: string }) => i.email).sort()).toEqual([holder.email, stranger].sort());
    // Neither address shows up as a member before someone accepts.
    expect(listed.members).toHaveLength(1);

    const words = async (address: string) => {
      const mail = await latestMailTo(address);
      return { subject: mail.subject, text: mail.text.replaceAll(address, "ADDRESS").replace(/invitations\/[\w-]+/, "invitations/TOKEN") };
    };
    expect(await words(holder.email)).toEqual(await words(stranger));
    expect((await words(stranger)).text).toContain("http://127.0.0.1:8787/invitations/TOKEN");
  });

  it("stores only the token's hash, and a second invitation of the address replaces the first", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const address = uniqueEmail("twice");
    await invite(client, issuer.id, address);
    const first = await invitationTokenFor(address);
    const stored = await env.DB.prepare("select token_hash from issuer_invitations where email = ?")
      .bind(address)
      .first<{ token_hash: string }>();
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored?.token_hash).not.toContain(first);
    expect(first.length).toBeGreaterThanOrEqual(22);

    await invite(client, issuer.id, address.toUpperCase(), "EDITOR");
    const second = await invitationTokenFor(address);
    expect(second).not.toBe(first);
    const pending = (await client.gql(PENDING, { id: issuer.id })).issuer.invitations;
    expect(pending).toEqual([expect.objectContaining({ email: address, role: "EDITOR" })]);

    const { client: holder } = await signedIn({ email: address });
    expect(await accept(holder, first)).toMatchObject({ __typename: "InvitationUnavailableError", reason: "REPLACED" });
    expect(await accept(holder, second)).toEqual({ __typename: "Issuer", id: issuer.id, myRole: "EDITOR" });
  });

  it("refuses a malformed address with a field error and sends nothing", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const answer = await invite(client, issuer.id, "not-an-address");
    expect(answer.__typename).toBe("ValidationError");
    expect(answer.fieldErrors).toEqual([{ field: "email", message: "Enter a valid email address, like name@example.com." }]);
    expect(await auditCount("issuer.member-invited", issuer.id)).toBe(0);
  });
});

describe("accepting", () => {
  it("makes the invited account a member in the invited role, once, and audits it", async () => {
    const { owner, client, issuer } = await ownerWithIssuer();
    const { user: member, client: memberClient } = await signedIn();
    await invite(client, issuer.id, member.email, "EDITOR");
    const token = await invitationTokenFor(member.email);
    const seen = (await new TestClient().gql(LINK, { token })).invitation;
    expect(seen).toEqual({ email: member.email, role: "EDITOR", state: "PENDING", issuer: { name: "Northwind Teachers College" } });

    expect(await accept(memberClient, token)).toEqual({ __typename: "Issuer", id: issuer.id, myRole: "EDITOR" });
    const after = (await client.gql(PENDING, { id: issuer.id })).issuer;
    expect(after.invitations).toEqual([]);
    expect(after.members.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([
      [owner.id, "OWNER"],
      [member.id, "EDITOR"],
    ]);
    expect((await memberClient.gql(LINK, { token })).invitation.state).toBe("ACCEPTED");

    // The link is spent: again is refused, and changes nothing.
    expect(await accept(memberClient, token)).toMatchObject({ __typename: "InvitationUnavailableError", reason: "ACCEPTED" });
    expect(await auditCount("issuer.invitation-accepted", issuer.id)).toBe(1);
    expect(await membershipsOf(issuer.id, member.id)).toBe(1);
  });

  it("accepts with any verified address of the account, not only the primary", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const { user, client: memberClient } = await signedIn();
    const extra = uniqueEmail("extra");
    await env.DB.prepare("insert into emails (id, user_id, address, is_primary, verified_at, created_at) values (?, ?, ?, 0, ?, ?)")
      .bind(crypto.randomUUID(), user.id, extra, Date.now(), Date.now())
      .run();
    await invite(client, issuer.id, extra);
    expect((await accept(memberClient, await invitationTokenFor(extra))).__typename).toBe("Issuer");
  });

  it("refuses another account, which neither joins nor spends the link", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const invited = uniqueEmail("invited");
    await invite(client, issuer.id, invited);
    const token = await invitationTokenFor(invited);
    const { user: other, client: otherClient } = await signedIn();
    expect(await accept(otherClient, token)).toEqual({
      __typename: "InvitationAddressError",
      email: invited,
      awaitingCode: false,
      message: `This invitation is for ${invited}. Add ${invited} to your account under Account › Emails and verify it, or sign in with the account that uses it, then accept again.`,
    });
    expect(await membershipsOf(issuer.id, other.id)).toBe(0);
    expect((await client.gql(PENDING, { id: issuer.id })).issuer.invitations).toHaveLength(1);
    expect(await auditCount("issuer.invitation-accepted", issuer.id)).toBe(0);
  });

  it("asks for the address to be verified first, then accepts", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const { user, client: memberClient } = await signedIn();
    const address = uniqueEmail("unverified");
    await invite(client, issuer.id, address);
    const token = await invitationTokenFor(address);
    await memberClient.gql(`mutation ($a: String!) { addEmail(address: $a) { __typename } }`, { a: address });
    const refused = await accept(memberClient, token);
    expect(refused).toMatchObject({ __typename: "InvitationAddressError", email: address, awaitingCode: true });
    expect(refused.message).toContain("Enter the code we emailed");
    expect(await membershipsOf(issuer.id, user.id)).toBe(0);

    const codeMail = (await settledMailTo(address)).find((m) => m.subject === "Add this address to your Laurel account");
    const confirmed = await memberClient.gql(`mutation ($a: String!, $c: String!) { confirmEmail(address: $a, code: $c) { __typename } }`, {
      a: address,
      c: codeIn(codeMail!),
    });
    expect(confirmed.confirmEmail.__typename).toBe("Email");
    expect((await accept(memberClient, token)).__typename).toBe("Issuer");
  });

  it("refuses an expired link, which the owner can send again", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const { client: memberClient, user } = await signedIn();
    const invited = await invite(client, issuer.id, user.email);
    const old = await invitationTokenFor(user.email);
    await env.DB.prepare("update issuer_invitations set expires_at = ? where id = ?")
      .bind(Date.now() - 1, invited.id)
      .run();
    expect(await accept(memberClient, old)).toMatchObject({ __typename: "InvitationUnavailableError", reason: "EXPIRED" });
    expect((await memberClient.gql(LINK, { token: old })).invitation.state).toBe("EXPIRED");
    expect((await client.gql(PENDING, { id: issuer.id })).issuer.invitations).toEqual([expect.objectContaining({ expired: true })]);
    expect(await membershipsOf(issuer.id, user.id)).toBe(0);

    expect((await client.gql(RESEND, { id: invited.id })).resendIssuerInvitation.__typename).toBe("IssuerInvitation");
    const renewed = await invitationTokenFor(user.email);
    expect(renewed).not.toBe(old);
    expect(await accept(memberClient, old)).toMatchObject({ __typename: "InvitationUnavailableError", reason: "UNKNOWN" });
    expect(await memberClient.gql(LINK, { token: old })).toEqual({ invitation: null });
    expect((await accept(memberClient, renewed)).__typename).toBe("Issuer");
    expect(await auditCount("issuer.invitation-resent", issuer.id)).toBe(1);
  });

  it("refuses a revoked link; revoking again changes and audits nothing", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const { client: memberClient, user } = await signedIn();
    const invited = await invite(client, issuer.id, user.email);
    const token = await invitationTokenFor(user.email);
    expect((await client.gql(REVOKE, { id: invited.id })).revokeIssuerInvitation).toEqual({ __typename: "Issuer", id: issuer.id });
    expect((await client.gql(REVOKE, { id: invited.id })).revokeIssuerInvitation).toMatchObject({
      __typename: "InvitationUnavailableError",
      reason: "REVOKED",
    });
    expect(await auditCount("issuer.invitation-revoked", issuer.id)).toBe(1);
    expect(await accept(memberClient, token)).toMatchObject({ __typename: "InvitationUnavailableError", reason: "REVOKED" });
    expect((await client.gql(RESEND, { id: invited.id })).resendIssuerInvitation.reason).toBe("REVOKED");
    expect((await client.gql(PENDING, { id: issuer.id })).issuer.invitations).toEqual([]);
    expect(await membershipsOf(issuer.id, user.id)).toBe(0);
  });

  it("makes one membership when the same link is accepted twice at once", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const member = await createUser();
    await invite(client, issuer.id, member.email);
    const token = await invitationTokenFor(member.email);
    const outcomes = await race(await racingContexts([member.id, member.id, member.id]), (ctx, user) =>
      acceptIssuerInvitation(ctx, user, token),
    );
    const refusals = outcomes.filter((o) => o instanceof InvitationUnavailableError);
    expect(refusals.map((r) => r.reason)).toEqual(["accepted", "accepted"]);
    expect(outcomes.filter((o) => !(o instanceof Error))).toHaveLength(1);
    expect(await membershipsOf(issuer.id, member.id)).toBe(1);
    expect(await auditCount("issuer.invitation-accepted", issuer.id)).toBe(1);
  });

  it("tells an existing member so, and keeps their role", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const { user, client: memberClient } = await signedIn();
    await joinIssuer(client, issuer.id, { email: user.email, client: memberClient });
    await invite(client, issuer.id, user.email, "OWNER");
    expect(await accept(memberClient, await invitationTokenFor(user.email))).toMatchObject({
      __typename: "InvitationUnavailableError",
      reason: "ALREADY_MEMBER",
    });
    expect((await memberClient.gql("query ($id: ID!) { issuer(id: $id) { myRole } }", { id: issuer.id })).issuer.myRole).toBe("AWARDER");
  });

  it("can be declined by the link's holder, signed in or not; then it cannot be accepted", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const { client: memberClient, user } = await signedIn();
    await invite(client, issuer.id, user.email);
    const token = await invitationTokenFor(user.email);
    expect((await new TestClient().gql(DECLINE, { token })).declineIssuerInvitation).toEqual({
      __typename: "Invitation",
      state: "DECLINED",
    });
    expect((await new TestClient().gql(DECLINE, { token })).declineIssuerInvitation.reason).toBe("DECLINED");
    expect(await accept(memberClient, token)).toMatchObject({ __typename: "InvitationUnavailableError", reason: "DECLINED" });
    expect(await auditCount("issuer.invitation-declined", issuer.id)).toBe(1);
  });

  it("needs a signed-in account", async () => {
    const answer = await new TestClient().gqlResult(ACCEPT_INVITATION, { token: "x".repeat(43) });
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
  });
});

describe("who manages invitations", () => {
  it("owners only: a member without the role gets FORBIDDEN, a stranger NOT_FOUND", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const { user: awarder, client: awarderClient } = await signedIn();
    await joinIssuer(client, issuer.id, { email: awarder.email, client: awarderClient });
    const pending = await invite(client, issuer.id, uniqueEmail("pending"));

    const forbidden = await invite(awarderClient, issuer.id, uniqueEmail("by-awarder"));
    expect(forbidden).toEqual({
      __typename: "ForbiddenError",
      message: "Your role (awarder) cannot do that for Northwind Teachers College.",
    });
    expect((await awarderClient.gql(RESEND, { id: pending.id })).resendIssuerInvitation.__typename).toBe("ForbiddenError");
    expect((await awarderClient.gql(REVOKE, { id: pending.id })).revokeIssuerInvitation.__typename).toBe("ForbiddenError");
    expect((await awarderClient.gql(SET_ROLE, { i: issuer.id, u: awarder.id })).setIssuerMemberRole.__typename).toBe("ForbiddenError");
    const listed = await awarderClient.gqlResult("query ($id: ID!) { issuer(id: $id) { invitations { email } } }", { id: issuer.id });
    expect(listed.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ["FORBIDDEN", "Only the issuer's owners see its invitations."],
    ]);

    const { client: stranger } = await signedIn();
    expect((await invite(stranger, issuer.id, uniqueEmail())).__typename).toBe("NotFoundError");
    expect((await stranger.gql(REVOKE, { id: pending.id })).revokeIssuerInvitation.__typename).toBe("NotFoundError");
    expect(await auditCount("issuer.member-invited", issuer.id)).toBe(2);
    expect(await auditCount("issuer.invitation-revoked", issuer.id)).toBe(0);
  });

  it("owners change a member's role", async () => {
    const { client, issuer } = await ownerWithIssuer();
    const { user, client: memberClient } = await signedIn();
    await joinIssuer(client, issuer.id, { email: user.email, client: memberClient });
    expect((await client.gql(SET_ROLE, { i: issuer.id, u: user.id })).setIssuerMemberRole.__typename).toBe("Issuer");
    expect((await memberClient.gql("query ($id: ID!) { issuer(id: $id) { myRole } }", { id: issuer.id })).issuer.myRole).toBe("EDITOR");
  });
});
