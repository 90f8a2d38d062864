import { issuerWithBadgeClass } from "./badges";
import { TestClient } from "./client";
import { createUser, signInAs, type TestUser } from "./fixtures";

// GraphQL documents and set-up shared by the micro-credential tests.
const ERRORS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";
const LEARNER_ERRORS = `${ERRORS} ... on SubmissionStateError { state } ... on PrerequisitesMissingError { missing { badgeClassId name } }`;
const REVIEW_ERRORS = `${ERRORS} ... on SubmissionStateError { state } ... on SubmissionClaimedError { claimedUntil }`;
const SUBMISSION = `id state round note publicNarrative claimed claimedByMe learnerName learnerEmail daysWaiting
  answers { partId text url public } history { state } attempts { round note answers { partId text } }
  reviews { round decision comment scores { criterionId level comment } } award { id status evidence { url narrative } }`;

export const SET_MICRO_CREDENTIAL = `mutation ($badgeClassId: ID!, $input: MicroCredentialInput!) {
  setMicroCredential(badgeClassId: $badgeClassId, input: $input) { ${ERRORS}
    ... on MicroCredential { badgeClassId competency reviewTargetDays blindReview badgeClass { achievementType }
      parts { id title kind required wordLimit fileTypes maxBytes } criteria { id name partIds requiredLevel levels { index name } }
      prerequisites { badgeClassId name } } }
}`;
export const START = `mutation ($badgeClassId: ID!) { startSubmission(badgeClassId: $badgeClassId) { ${LEARNER_ERRORS} ... on Submission { ${SUBMISSION} } } }`;
export const SAVE = `mutation ($id: ID!, $answers: [SubmissionAnswerInput!]!, $publicNarrative: String) {
  saveSubmissionDraft(id: $id, answers: $answers, publicNarrative: $publicNarrative) { ${LEARNER_ERRORS} ... on Submission { ${SUBMISSION} } }
}`;
export const SUBMIT = `mutation ($id: ID!) { submitSubmission(id: $id) { ${LEARNER_ERRORS} ... on Submission { ${SUBMISSION} } } }`;
export const RESUBMIT = `mutation ($id: ID!, $note: String) { resubmitSubmission(id: $id, note: $note) { ${LEARNER_ERRORS} ... on Submission { ${SUBMISSION} } } }`;
export const WITHDRAW = `mutation ($id: ID!) { withdrawSubmission(id: $id) { ${LEARNER_ERRORS} ... on Submission { ${SUBMISSION} } } }`;
export const CLAIM = `mutation ($id: ID!) { claimSubmission(id: $id) { ${REVIEW_ERRORS} ... on Submission { ${SUBMISSION} } } }`;
export const DECIDE = `mutation ($id: ID!, $decision: SubmissionDecision!, $scores: [CriterionScoreInput!]!, $comment: String) {
  decideSubmission(id: $id, decision: $decision, scores: $scores, comment: $comment) { ${REVIEW_ERRORS} ... on Submission { ${SUBMISSION} } }
}`;
export const SUBMISSION_QUERY = `query ($id: ID!) { submission(id: $id) { ${SUBMISSION} } }`;
export const QUEUE = `query ($issuerId: ID!, $badgeClassId: ID, $states: [SubmissionState!], $first: Int, $after: String) {
  issuer(id: $issuerId) { submissionQueue(badgeClassId: $badgeClassId, states: $states, first: $first, after: $after) {
    items { id state daysWaiting learnerName claimed } hasNextPage endCursor
    counts { submitted resubmitted inReview returned awarded notAwarded } } }
}`;
export const SET_MEMBER = `mutation ($issuerId: ID!, $email: String!, $role: IssuerRole!) {
  setIssuerMember(issuerId: $issuerId, email: $email, role: $role) { __typename ... on Error { message } }
}`;

export const definitionInput = (overrides: Record<string, unknown> = {}) => ({
  competency: "The educator uses formative assessment to adjust instruction during a lesson.",
  keyMethod: "The educator plans checks for understanding and changes course on what they show.",
  methodComponents: "Plan three checks; collect evidence; adjust.",
  research: "Black & Wiliam (1998), Inside the Black Box.",
  resources: [{ title: "Formative assessment guide", url: "https://resources.example.org/formative" }],
  parts: [
    { title: "Overview", prompt: "Describe your class and the unit.", kind: "TEXT", required: true, wordLimit: 50 },
    { title: "Work example", prompt: "Link to the lesson plan.", kind: "LINK", required: true },
    { title: "Reflection", prompt: "What did you change and why?", kind: "TEXT", required: false },
  ],
  criteria: [
    {
      name: "Plans formative checks",
      partIds: ["0", "1"],
      levels: [{ name: "Not yet demonstrated" }, { name: "Demonstrated" }],
      requiredLevel: 1,
    },
    {
      name: "Adjusts instruction",
      partIds: ["2"],
      levels: [{ name: "Not yet demonstrated" }, { name: "Demonstrated" }, { name: "Exemplary" }],
      requiredLevel: 1,
    },
  ],
  reviewTargetDays: 14,
  ...overrides,
});

export interface MicroSetup {
  owner: TestUser;
  ownerClient: TestClient;
  assessor: TestUser;
  assessorClient: TestClient;
  learner: TestUser;
  learnerClient: TestClient;
  issuerId: string;
  badgeClassId: string;
  parts: { id: string; title: string; kind: string }[];
  criteria: { id: string; name: string; requiredLevel: number }[];
}

export async function signedIn(user?: TestUser): Promise<{ user: TestUser; client: TestClient }> {
  const u = user ?? (await createUser());
  const client = new TestClient();
  await signInAs(client, u);
  return { user: u, client };
}

/** An issuer with a micro-credential, an assessor, and a learner signed in. */
export async function microCredential(overrides: Record<string, unknown> = {}): Promise<MicroSetup> {
  const { user: owner, client: ownerClient } = await signedIn();
  const { issuer, badgeClass } = await issuerWithBadgeClass(ownerClient, { name: "Formative Assessment" });
  const set = (await ownerClient.gql(SET_MICRO_CREDENTIAL, { badgeClassId: badgeClass.id, input: definitionInput(overrides) }))
    .setMicroCredential;
  if (set.__typename !== "MicroCredential") throw new Error(JSON.stringify(set));
  const { user: assessor, client: assessorClient } = await signedIn(await createUser({ firstName: "Asa" }));
  const member = (await ownerClient.gql(SET_MEMBER, { issuerId: issuer.id, email: assessor.email, role: "ASSESSOR" })).setIssuerMember;
  if (member.__typename !== "Issuer") throw new Error(JSON.stringify(member));
  const { user: learner, client: learnerClient } = await signedIn(await createUser({ firstName: "Lena" }));
  return {
    owner,
    ownerClient,
    assessor,
    assessorClient,
    learner,
    learnerClient,
    issuerId: issuer.id,
    badgeClassId: badgeClass.id,
    parts: set.parts,
    criteria: set.criteria,
  };
}

/** A complete set of answers for the default definition. */
export const completeAnswers = (s: MicroSetup, publicLink = true) => [
  { partId: s.parts[0]!.id, text: "Year 8 science, a unit on forces with thirty students." },
  { partId: s.parts[1]!.id, url: "https://plans.example.org/forces", public: publicLink },
  { partId: s.parts[2]!.id, text: "I moved the practical earlier after the exit tickets." },
];

/** A learner's submission, handed in. */
export async function submitted(s: MicroSetup) {
  const started = (await s.learnerClient.gql(START, { badgeClassId: s.badgeClassId })).startSubmission;
  if (started.__typename !== "Submission") throw new Error(JSON.stringify(started));
  const saved = (await s.learnerClient.gql(SAVE, { id: started.id, answers: completeAnswers(s) })).saveSubmissionDraft;
  if (saved.__typename !== "Submission") throw new Error(JSON.stringify(saved));
  const done = (await s.learnerClient.gql(SUBMIT, { id: started.id })).submitSubmission;
  if (done.__typename !== "Submission") throw new Error(JSON.stringify(done));
  return done as { id: string; state: string };
}

export const passingScores = (s: MicroSetup) => s.criteria.map((c) => ({ criterionId: c.id, level: c.requiredLevel, comment: "Met." }));
export const failingScores = (s: MicroSetup) => s.criteria.map((c) => ({ criterionId: c.id, level: 0, comment: "Not yet." }));
