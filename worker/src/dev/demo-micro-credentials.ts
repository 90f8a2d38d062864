import { and, eq } from "drizzle-orm";
import { getUserByEmail } from "../accounts/accounts.service";
import type { User } from "../accounts/accounts.table";
import { badgeClasses } from "../badges/badge-classes.table";
import { issuerMembers } from "../badges/issuers.table";
import type { AppContext } from "../context";
import { newId } from "../lib/ids";
import { checkImage, storeImage } from "../lib/images";
import { type MicroCredentialInput, setMicroCredential } from "../microcredentials/definitions.service";
import { uploadEvidenceFile } from "../microcredentials/evidence-files.service";
import { microCredentials } from "../microcredentials/micro-credentials.table";
import { claimSubmission, decideSubmission } from "../microcredentials/reviews.service";
import { saveSubmissionDraft, startSubmission, submitSubmission } from "../microcredentials/submissions.service";

const svg = (fill: string, label: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"><rect x="16" y="16" width="224" height="224" rx="48" fill="${fill}"/><text x="128" y="150" font-family="sans-serif" font-size="60" font-weight="700" fill="#fff" text-anchor="middle">${label}</text></svg>`;

/** A one-page PDF, so the demo's evidence files open in a viewer. */
const DEMO_PDF = `%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj
4 0 obj<</Length 44>>stream
BT /F1 18 Tf 20 70 Td (Lesson plan) Tj ET
endstream endobj
5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj
trailer<</Root 1 0 R>>
%%EOF
`;

const levels = (...names: string[]) => names.map((name) => ({ name }));

/** Digital Promise's three parts: overview questions, a work example, a reflection. */
function definition(competency: string, keyMethod: string, blindReview: boolean): MicroCredentialInput {
  return {
    competency,
    keyMethod,
    methodComponents: "Plan it, try it with a class, collect evidence of what happened, and reflect.",
    research: "Black, P. & Wiliam, D. (1998). Inside the Black Box: raising standards through classroom assessment.",
    resources: [{ title: "Formative assessment, a short guide", url: "https://resources.example.org/formative" }],
    parts: [
      { title: "Overview", prompt: "Describe your class and the lesson you planned.", kind: "text", required: true, wordLimit: 300 },
      {
        title: "Work example",
        prompt: "Upload your lesson plan or a sample of student work (PDF or image).",
        kind: "file",
        required: true,
        fileTypes: ["application/pdf", "image/png", "image/jpeg"],
        maxBytes: 10 * 1024 * 1024,
      },
      { title: "Reflection", prompt: "What did the evidence show, and what did you change?", kind: "text", required: true, wordLimit: 400 },
    ],
    criteria: [
      {
        name: "Plans the method",
        description: "The plan uses the key method on purpose.",
        partIds: ["0", "1"],
        levels: levels("Not yet demonstrated", "Demonstrated", "Exemplary"),
        requiredLevel: 1,
      },
      {
        name: "Reflects on evidence",
        description: "The reflection draws on what the evidence showed.",
        partIds: ["2"],
        levels: levels("Not yet demonstrated", "Demonstrated"),
        requiredLevel: 1,
      },
    ],
    reviewTargetDays: 14,
    blindReview,
  };
}

const DEMO_MICRO_CREDENTIALS = [
  {
    name: "Formative Assessment in Practice",
    label: "FAP",
    fill: "#7a3e9d",
    description: "Uses checks for understanding during a lesson and changes course on what they show.",
    definition: definition(
      "The educator uses formative assessment to adjust instruction during a lesson.",
      "Plan checks for understanding, read what they show, and adjust the lesson.",
      false,
    ),
  },
  {
    name: "Feedback for Learning",
    label: "FFL",
    fill: "#a5541a",
    description: "Gives feedback that students act on.",
    definition: definition(
      "The educator gives feedback that moves learning forward.",
      "Give specific, actionable feedback and make time for students to use it.",
      true,
    ),
  },
  {
    name: "Classroom Discussion",
    label: "CD",
    fill: "#2f6f7a",
    description: "Leads discussions in which every student takes part.",
    definition: definition(
      "The educator leads discussions in which students build on each other's ideas.",
      "Plan open questions, use talk moves, and track who speaks.",
      false,
    ),
  },
];

const answersFor = (partIds: string[], overview: string) => [
  { partId: partIds[0]!, text: overview },
  { partId: partIds[2]!, text: "The exit tickets showed half the class mixed up mass and weight, so I reran the demo the next day." },
];

/**
 * Three micro-credentials of the demo issuer, and learner@laurel.local's work on them: a
 * returned submission with the assessor's scores and feedback, one submitted and waiting in
 * the queue (with a file), and a draft. Made through the services, so every row, history step
 * and email is what the real flow writes. Runs once: skipped when the issuer has any.
 */
export async function seedDemoMicroCredentials(ctx: AppContext): Promise<boolean> {
  const [owner, learner] = await Promise.all([getUserByEmail(ctx, "issuer@laurel.local"), getUserByEmail(ctx, "learner@laurel.local")]);
  if (!owner || !learner) return false;
  const membership = await ctx.db.query.issuerMembers.findFirst({
    where: and(eq(issuerMembers.userId, owner.id), eq(issuerMembers.role, "owner")),
  });
  if (!membership) return false;
  const issuerId = membership.issuerId;
  if (await ctx.db.query.microCredentials.findFirst({ where: eq(microCredentials.issuerId, issuerId) })) return false;

  const now = ctx.now();
  const made: { id: string; partIds: string[] }[] = [];
  for (const demo of DEMO_MICRO_CREDENTIALS) {
    const imageKey = await storeImage(
      ctx,
      "badges",
      checkImage("image", new TextEncoder().encode(svg(demo.fill, demo.label)), "image/svg+xml"),
    );
    const id = newId();
    await ctx.db.insert(badgeClasses).values({
      id,
      issuerId,
      name: demo.name,
      description: demo.description,
      imageKey,
      criteriaNarrative: "Submit the three parts; an assessor scores them against the rubric.",
      criteriaUrl: null,
      learningOutcomes: ["Uses evidence of learning to plan teaching"],
      alignments: [],
      tags: ["teaching", "micro-credential"],
      achievementType: "MicroCredential",
      validForMonths: null,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    });
    const saved = await setMicroCredential(ctx, owner, id, demo.definition);
    made.push({ id, partIds: saved.parts.map((p) => p.id) });
  }
  const [returned, waiting, draft] = made as [(typeof made)[0], (typeof made)[0], (typeof made)[0]];
  await handIn(ctx, learner, waiting, "Year 9 physics, 28 students, a lesson on forces.");
  const first = await handIn(ctx, learner, returned, "Year 8 science, a unit on forces.");
  await claimSubmission(ctx, owner, first);
  const definitionOfReturned = await ctx.db.query.microCredentials.findFirst({ where: eq(microCredentials.badgeClassId, returned.id) });
  await decideSubmission(ctx, owner, first, {
    decision: "returned",
    comment: "A good start. Say what the checks showed and how you changed the lesson because of it.",
    scores: definitionOfReturned!.criteria.map((c, i) => ({
      criterionId: c.id,
      level: i === 0 ? c.requiredLevel : 0,
      comment: i === 0 ? "Clear plan with three checks." : "The reflection does not yet draw on the evidence.",
    })),
  });
  const started = await startSubmission(ctx, learner, draft.id);
  await saveSubmissionDraft(ctx, learner, started.id, {
    answers: [{ partId: draft.partIds[0]!, text: "Year 7 English, a discussion of a poem." }],
  });
  return true;
}

async function handIn(ctx: AppContext, learner: User, mc: { id: string; partIds: string[] }, overview: string): Promise<string> {
  const started = await startSubmission(ctx, learner, mc.id);
  await saveSubmissionDraft(ctx, learner, started.id, { answers: answersFor(mc.partIds, overview) });
  const pdf = new TextEncoder().encode(DEMO_PDF);
  await uploadEvidenceFile(ctx, learner, started.id, mc.partIds[1]!, {
    body: new Blob([pdf]).stream(),
    length: pdf.byteLength,
    name: "lesson-plan.pdf",
    declaredType: "application/pdf",
  });
  await submitSubmission(ctx, learner, started.id);
  return started.id;
}
