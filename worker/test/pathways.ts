import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { AWARD, badgeClassInput, CREATE_BADGE_CLASS, issuerWithBadgeClass } from "./badges";
import { TestClient as Client, gqlUpload, type TestClient } from "./client";
import { createUser, signInAs, type TestUser } from "./fixtures";
import { fileOf, pngImage } from "./images";

// GraphQL documents and set-up shared by the pathway tests.
const ERRORS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";
const PATHWAY =
  "id name state junction requiredCount steps { id parentId depth name junction requiredCount badgeClasses { id } completionBadgeClass { id } }";

export const CREATE_PATHWAY = `mutation ($issuerId: ID!, $input: PathwayInput!) { createPathway(issuerId: $issuerId, input: $input) { ${ERRORS} ... on Pathway { ${PATHWAY} } } }`;
export const SET_TREE = `mutation ($id: ID!, $tree: PathwayTreeInput!) { setPathwayTree(id: $id, tree: $tree) { ${ERRORS} ... on Pathway { ${PATHWAY} } } }`;
export const PUBLISH = `mutation ($id: ID!) { publishPathway(id: $id) { ${ERRORS} ... on Pathway { id state } } }`;
export const ARCHIVE = `mutation ($id: ID!) { archivePathway(id: $id) { ${ERRORS} ... on Pathway { id state } } }`;
export const INVITE = `mutation ($pathwayId: ID!, $emails: [String!], $csv: String) {
  inviteToPathway(pathwayId: $pathwayId, emails: $emails, csv: $csv) { ${ERRORS}
    ... on InvitationListRejectedError { problems { line field message } } ... on PathwayInvitationReport { addresses invited alreadyInvited } }
}`;
export const ACCEPT = `mutation ($pathwayId: ID!) { acceptPathwayInvitation(pathwayId: $pathwayId) { ${ERRORS} ... on Pathway { id } } }`;
export const DECLINE = `mutation ($pathwayId: ID!) { declinePathwayInvitation(pathwayId: $pathwayId) { ${ERRORS} ... on Pathway { id } } }`;
export const JOIN = `mutation ($pathwayId: ID!) { joinPathway(pathwayId: $pathwayId) { ${ERRORS} ... on Pathway { id } } }`;
const PROGRESS = `pathway { id name } subscribed invited met completedAt stepsDone stepsRequired
  next { name stepId badges { held badgeClass { id } } }
  nodes { id stepId parentId depth name met done required completedAt completionAwardId badges { held awardId microCredential earnUrl badgeClass { id name issuer { name } } } }`;
export const MY_PATHWAYS = `{ myPathways { subscribed { ${PROGRESS} } invitations { ${PROGRESS} } opportunities { ${PROGRESS} } } }`;
export const PATHWAY_PROGRESS = `query ($id: ID!) { pathwayProgress(pathwayId: $id) { ${PROGRESS} } }`;
export const SUBSCRIBERS = `query ($id: ID!) { pathway(id: $id) { subscribers { total completed noLongerQualifying
  items { name email met stepsDone stepsRequired completedAt completionAwardId noLongerQualifies } } } }`;

export async function signedIn(user?: TestUser): Promise<{ user: TestUser; client: TestClient }> {
  const u = user ?? (await createUser());
  const client = new Client();
  await signInAs(client, u);
  return { user: u, client };
}

/** Another badge class of the issuer. */
export async function badgeClass(client: TestClient, issuerId: string, name: string, overrides: Record<string, unknown> = {}) {
  const created = (
    await gqlUpload(
      client,
      CREATE_BADGE_CLASS,
      { issuerId, input: badgeClassInput({ name, ...overrides }) },
      { "input.image": fileOf(await pngImage(), "badge.png", "image/png") },
    )
  ).createBadgeClass;
  if (created.__typename !== "BadgeClass") throw new Error(JSON.stringify(created));
  return created as { id: string; name: string };
}

export interface PathwaySetup {
  owner: TestUser;
  ownerClient: TestClient;
  issuerId: string;
  /** Badge classes a, b, c, d a pathway can require. */
  badges: Record<"a" | "b" | "c" | "d", string>;
  /** Completion badge classes: of the pathway, and of a step. */
  completion: string;
  stepCompletion: string;
}

/** An issuer owner with four badge classes to require and two completion badge classes. */
export async function pathwaySetup(): Promise<PathwaySetup> {
  const { user: owner, client: ownerClient } = await signedIn();
  const { issuer, badgeClass: a } = await issuerWithBadgeClass(ownerClient, { name: "Badge A" });
  const [b, c, d, completion, stepCompletion] = await Promise.all(
    ["Badge B", "Badge C", "Badge D", "Pathway Complete", "Step Complete"].map((name) => badgeClass(ownerClient, issuer.id, name)),
  );
  return {
    owner,
    ownerClient,
    issuerId: issuer.id,
    badges: { a: a.id, b: b!.id, c: c!.id, d: d!.id },
    completion: completion!.id,
    stepCompletion: stepCompletion!.id,
  };
}

export async function createPathway(s: PathwaySetup, input: Record<string, unknown> = {}) {
  const created = (
    await s.ownerClient.gql(CREATE_PATHWAY, {
      issuerId: s.issuerId,
      input: { name: "Assessment Leader", completionBadgeClassId: s.completion, ...input },
    })
  ).createPathway;
  if (created.__typename !== "Pathway") throw new Error(JSON.stringify(created));
  return created as { id: string };
}

export async function setTree(s: PathwaySetup, id: string, tree: Record<string, unknown>) {
  const set = (await s.ownerClient.gql(SET_TREE, { id, tree })).setPathwayTree;
  if (set.__typename !== "Pathway") throw new Error(JSON.stringify(set));
  return set as { id: string; steps: { id: string; name: string; parentId: string | null; depth: number }[] };
}

/** A published pathway with the tree given. */
export async function publishedPathway(s: PathwaySetup, tree: Record<string, unknown>, input: Record<string, unknown> = {}) {
  const { id } = await createPathway(s, input);
  const set = await setTree(s, id, tree);
  const published = (await s.ownerClient.gql(PUBLISH, { id })).publishPathway;
  if (published.__typename !== "Pathway") throw new Error(JSON.stringify(published));
  return set;
}

export async function award(s: PathwaySetup, badgeClassId: string, email: string, input: Record<string, unknown> = {}) {
  const awarded = (await s.ownerClient.gql(AWARD, { badgeClassId, input: { email, ...input } })).awardBadge;
  if (awarded.__typename !== "Award") throw new Error(JSON.stringify(awarded));
  return awarded as { id: string };
}

/** The learner follows the pathway (invited and accepting). */
export async function subscribe(s: PathwaySetup, pathwayId: string, learner: { user: TestUser; client: TestClient }) {
  const invited = (await s.ownerClient.gql(INVITE, { pathwayId, emails: [learner.user.email] })).inviteToPathway;
  if (invited.__typename !== "PathwayInvitationReport") throw new Error(JSON.stringify(invited));
  const accepted = (await learner.client.gql(ACCEPT, { pathwayId })).acceptPathwayInvitation;
  if (accepted.__typename !== "Pathway") throw new Error(JSON.stringify(accepted));
}

/** Awards of a badge class to any of the user's verified emails. */
export async function awardsOf(badgeClassId: string, userId: string): Promise<{ id: string; revoked_at: number | null }[]> {
  const rows = await env.DB.prepare(
    `select a.id, a.revoked_at from awards a join emails e on e.address = a.recipient_email where a.badge_class_id = ? and e.user_id = ?`,
  )
    .bind(badgeClassId, userId)
    .all<{ id: string; revoked_at: number | null }>();
  return rows.results;
}

/** Waits until the user holds `count` awards of the badge class (completion runs through the queue). */
export async function eventuallyAwarded(badgeClassId: string, userId: string, count = 1) {
  return vi.waitFor(
    async () => {
      const rows = await awardsOf(badgeClassId, userId);
      if (rows.length !== count) throw new Error(`${rows.length} awards of ${badgeClassId}, expected ${count}`);
      return rows;
    },
    { timeout: 15_000, interval: 100 },
  );
}

/** Waits until every outbox event of the last seconds is done, so a test can say something did NOT happen. */
export async function outboxSettled() {
  await vi.waitFor(
    async () => {
      const pending = await env.DB.prepare("select count(*) as n from outbox_events where status = 'pending' and created_at > ?")
        .bind(Date.now() - 30_000)
        .first<{ n: number }>();
      if (pending?.n) throw new Error(`${pending.n} outbox events pending`);
    },
    { timeout: 20_000, interval: 100 },
  );
}
