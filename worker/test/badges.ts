import { env } from "cloudflare:workers";
import { gqlUpload, latestMailTo, TestClient, uniqueEmail } from "./client";
import { createUser, signInAs } from "./fixtures";
import { fileOf, pngImage } from "./images";

// GraphQL documents and set-up shared by the badge tests.
const ERRORS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";

export const CREATE_ISSUER = `mutation ($input: IssuerInput!) { createIssuer(input: $input) { ${ERRORS} ... on Issuer { id name myRole } } }`;
export const CREATE_BADGE_CLASS = `mutation ($issuerId: ID!, $input: BadgeClassInput!) {
  createBadgeClass(issuerId: $issuerId, input: $input) { ${ERRORS} ... on BadgeClass { id name imageUrl validForMonths } }
}`;
export const AWARD = `mutation ($badgeClassId: ID!, $input: AwardInput!) {
  awardBadge(badgeClassId: $badgeClassId, input: $input) { ${ERRORS} ... on Award { id status recipientEmail issuedOn expiresAt } }
}`;
export const REVOKE = `mutation ($awardId: ID!, $reason: String!) { revokeAward(awardId: $awardId, reason: $reason) { ${ERRORS} ... on Award { id status revocationReason } } }`;
export const BULK = `mutation ($badgeClassId: ID!, $csv: String) {
  bulkAward(badgeClassId: $badgeClassId, csv: $csv) { ${ERRORS} ... on CsvRejectedError { problems { line field message } } ... on BulkAwardReport { rows created alreadyAwarded } }
}`;
export const BACKPACK = `query ($filter: BackpackFilter, $first: Int, $after: String, $includeHidden: Boolean) {
  backpack(filter: $filter, first: $first, after: $after, includeHidden: $includeHidden) {
    items { id status hidden recipientEmail badgeClass { name issuer { name } } }
    endCursor hasNextPage
  }
}`;

export const badgeClassInput = (overrides: Record<string, unknown> = {}) => ({
  name: "Formative Assessment",
  description: "Designs and uses formative assessment to adjust teaching.",
  criteriaNarrative: "Submit a unit plan with three formative checks and a reflection.",
  learningOutcomes: ["Plans formative checks", "Adjusts instruction from evidence"],
  alignments: [{ name: "Assessment literacy", url: "https://frameworks.example.org/assessment", code: "A1" }],
  tags: ["assessment", "teaching"],
  ...overrides,
});

/** An issuer owned by the signed-in client's user, with one badge class. */
export async function issuerWithBadgeClass(client: TestClient, badgeOverrides: Record<string, unknown> = {}) {
  const issuer = (
    await client.gql(CREATE_ISSUER, {
      input: { name: "Northwind Teachers College", url: "https://northwind.example.org", email: "badges@northwind.example.org" },
    })
  ).createIssuer;
  if (issuer.__typename !== "Issuer") throw new Error(JSON.stringify(issuer));
  const badgeClass = (
    await gqlUpload(
      client,
      CREATE_BADGE_CLASS,
      { issuerId: issuer.id, input: badgeClassInput(badgeOverrides) },
      { "input.image": fileOf(await pngImage(), "badge.png", "image/png") },
    )
  ).createBadgeClass;
  if (badgeClass.__typename !== "BadgeClass") throw new Error(JSON.stringify(badgeClass));
  return { issuer, badgeClass };
}

/** A fresh issuer, badge class (valid 12 months) and award to a fresh email, for public-document tests. */
export async function awarded(input: Record<string, unknown> = {}) {
  const issuerClient = new TestClient();
  await signInAs(issuerClient, await createUser());
  const { issuer, badgeClass } = await issuerWithBadgeClass(issuerClient, { validForMonths: 12 });
  const email = uniqueEmail("verify");
  const award = (
    await issuerClient.gql(AWARD, {
      badgeClassId: badgeClass.id,
      input: {
        email,
        recipientName: "Ada Lovelace",
        narrative: "Ran the workshop.",
        evidence: [{ url: "https://evidence.example.org/1", narrative: "Plan" }],
        issuedOn: "2026-11-02",
        ...input,
      },
    })
  ).awardBadge;
  return { issuerClient, issuer, badgeClass, award, email };
}

export const INVITE = `mutation ($issuerId: ID!, $email: String!, $role: IssuerRole!) {
  inviteIssuerMember(issuerId: $issuerId, email: $email, role: $role) { ${ERRORS} ... on IssuerInvitation { id email role expired } }
}`;
export const ACCEPT_INVITATION = `mutation ($token: String!) {
  acceptIssuerInvitation(token: $token) { ${ERRORS} ... on InvitationUnavailableError { reason } ... on InvitationAddressError { email awaitingCode } ... on Issuer { id myRole } }
}`;

/** The token of the newest invitation link mailed to `address` (once the outbox has sent everything). */
export async function invitationTokenFor(address: string): Promise<string> {
  const mail = await latestMailTo(address);
  const token = /Open the invitation: \S+\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no invitation link in "${mail.subject}" to ${address}`);
  return token;
}

/** The owner invites the member's address, and the member accepts from the email: the one way to join. */
export async function joinIssuer(owner: TestClient, issuerId: string, member: { email: string; client: TestClient }, role = "AWARDER") {
  const invited = (await owner.gql(INVITE, { issuerId, email: member.email, role })).inviteIssuerMember;
  if (invited.__typename !== "IssuerInvitation") throw new Error(`invitation refused: ${JSON.stringify(invited)}`);
  const accepted = (await member.client.gql(ACCEPT_INVITATION, { token: await invitationTokenFor(member.email) })).acceptIssuerInvitation;
  if (accepted.__typename !== "Issuer") throw new Error(`acceptance refused: ${JSON.stringify(accepted)}`);
}

/** `joinIssuer` for an account that has no client of its own yet. */
export async function inviteAndAccept(owner: TestClient, issuerId: string, member: { id: string; email: string }, role: string) {
  const client = new TestClient();
  await signInAs(client, member);
  await joinIssuer(owner, issuerId, { email: member.email, client }, role);
}

/** Inserts a membership directly, for race tests about changing members, not joining. */
export async function insertMembership(issuerId: string, userId: string, role: "owner" | "editor" | "awarder") {
  await env.DB.prepare("insert into issuer_members (issuer_id, user_id, role, created_at) values (?, ?, ?, ?)")
    .bind(issuerId, userId, role, Date.now())
    .run();
}
