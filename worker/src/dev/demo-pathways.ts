import { eq } from "drizzle-orm";
import { getUserByEmail } from "../accounts/accounts.service";
import { badgeClasses } from "../badges/badge-classes.table";
import { issuerMembers } from "../badges/issuers.table";
import type { AppContext } from "../context";
import { newId } from "../lib/ids";
import { checkImage, storeImage } from "../lib/images";
import { inviteToPathway } from "../pathways/invitations.service";
import { createPathway, setPathwayState, setPathwayTree } from "../pathways/pathways.service";
import { pathways } from "../pathways/pathways.table";

const completionSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"><circle cx="128" cy="128" r="120" fill="#8a5a00"/><circle cx="128" cy="128" r="96" fill="none" stroke="#fff" stroke-width="6"/><text x="128" y="146" font-family="sans-serif" font-size="52" font-weight="700" fill="#fff" text-anchor="middle">AL</text></svg>`;

const pathwaySvg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="240" viewBox="0 0 480 240"><rect width="480" height="240" fill="#17573a"/><path d="M40 200 L160 120 L260 160 L440 40" fill="none" stroke="#f2c14e" stroke-width="14" stroke-linecap="round" stroke-linejoin="round"/><circle cx="440" cy="40" r="18" fill="#f2c14e"/></svg>`;

/**
 * A published demo pathway of the demo issuer, "Assessment Leader": a step that needs
 * Formative Assessment and one that needs either of the demo badges, ending in a completion
 * badge; learner@laurel.local is invited (answer it under Pathways). Through the services, so
 * it is built as an issuer would build it.
 */
export async function seedDemoPathway(ctx: AppContext): Promise<boolean> {
  const owner = await getUserByEmail(ctx, "issuer@laurel.local");
  const membership = owner && (await ctx.db.query.issuerMembers.findFirst({ where: eq(issuerMembers.userId, owner.id) }));
  if (!owner || !membership || (await ctx.db.query.pathways.findFirst({ where: eq(pathways.issuerId, membership.issuerId) }))) {
    return false;
  }
  const issuerId = membership.issuerId;
  const demoClasses = await ctx.db.select().from(badgeClasses).where(eq(badgeClasses.issuerId, issuerId)).all();
  const byName = (name: string) => demoClasses.find((b) => b.name === name)?.id;
  const formative = byName("Formative Assessment");
  const digital = byName("Digital Pedagogy");
  if (!formative || !digital) return false;
  const now = ctx.now();
  const completionId = newId();
  const imageKey = await storeImage(ctx, "badges", checkImage("image", new TextEncoder().encode(completionSvg), "image/svg+xml"));
  await ctx.db.insert(badgeClasses).values({
    id: completionId,
    issuerId,
    name: "Assessment Leader",
    description: "Completed the Assessment Leader pathway.",
    imageKey,
    criteriaNarrative: null,
    criteriaUrl: null,
    completionRule: null,
    learningOutcomes: [],
    alignments: [],
    tags: ["pathway"],
    achievementType: "Certificate",
    validForMonths: null,
    createdAt: new Date(now),
    updatedAt: new Date(now),
  });
  const pathway = await createPathway(ctx, owner, issuerId, {
    name: "Assessment Leader",
    description: "From formative checks to leading assessment practice in your school.",
    image: new File([pathwaySvg], "assessment-leader.svg", { type: "image/svg+xml" }),
    completionBadgeClassId: completionId,
  });
  await setPathwayTree(ctx, owner, pathway.id, {
    junction: "all",
    steps: [
      { name: "Foundations", description: "Plan and use formative checks.", junction: "all", badgeClassIds: [formative] },
      {
        name: "Practice",
        description: "Bring it to your own classroom, with or without digital tools.",
        junction: "at-least",
        requiredCount: 1,
        badgeClassIds: [digital, formative],
      },
    ],
  });
  await setPathwayState(ctx, owner, pathway.id, "published");
  await inviteToPathway(ctx, owner, pathway.id, { emails: ["learner@laurel.local"] });
  return true;
}
