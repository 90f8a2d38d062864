import { eq } from "drizzle-orm";
import { getUserByEmail } from "../accounts/accounts.service";
import { auditInsert } from "../audit/audit";
import { awardRow, checkAward } from "../badges/awards.service";
import { awards } from "../badges/awards.table";
import { badgeClasses } from "../badges/badge-classes.table";
import { invitationWrites } from "../badges/invitations.service";
import { issuerMembers, issuers } from "../badges/issuers.table";
import type { AppContext } from "../context";
import { Problems } from "../lib/errors";
import { newId } from "../lib/ids";
import { checkImage, storeImage } from "../lib/images";
import { afterCommit } from "../outbox/enqueue";

/** The address of the demo issuer's pending invitation (no account uses it). */
export const DEMO_INVITEE = "new.awarder@laurel.local";

const laurelSvg = (fill: string, label: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256"><circle cx="128" cy="128" r="120" fill="${fill}"/><circle cx="128" cy="128" r="96" fill="none" stroke="#fff" stroke-width="6"/><text x="128" y="146" font-family="sans-serif" font-size="52" font-weight="700" fill="#fff" text-anchor="middle">${label}</text></svg>`;

const DEMO_CLASSES = [
  {
    name: "Formative Assessment",
    label: "FA",
    fill: "#1f6f4a",
    validForMonths: 24,
    description: "Designs formative checks and adjusts teaching from what they show.",
  },
  {
    name: "Digital Pedagogy",
    label: "DP",
    fill: "#2b5fad",
    validForMonths: null,
    description: "Plans and runs learning with digital tools that serve the pedagogy.",
  },
];

/**
 * A demo issuer owned by issuer@laurel.local with two badge classes, and awards to
 * learner@laurel.local, and a pending invitation of an awarder, so the backpack and the issuer
 * console have something to show.
 */
export async function seedDemoBadges(ctx: AppContext): Promise<boolean> {
  const owner = await getUserByEmail(ctx, "issuer@laurel.local");
  if (!owner || (await ctx.db.query.issuerMembers.findFirst({ where: eq(issuerMembers.userId, owner.id) }))) return false;
  const now = ctx.now();
  const issuerId = newId();
  const classes = [];
  for (const demo of DEMO_CLASSES) {
    const imageKey = await storeImage(
      ctx,
      "badges",
      checkImage("image", new TextEncoder().encode(laurelSvg(demo.fill, demo.label)), "image/svg+xml"),
    );
    classes.push({
      id: newId(),
      issuerId,
      name: demo.name,
      description: demo.description,
      imageKey,
      previewImageKey: null,
      criteriaNarrative: "Submit a unit plan and a reflection on how it went.",
      criteriaUrl: null,
      completionRule: null,
      learningOutcomes: ["Plans with evidence of learning in mind", "Reflects on practice"],
      alignments: [{ name: "Teaching standards: assessment", url: "https://example.org/standards/assessment", code: "TS6" }],
      tags: ["teaching"],
      achievementType: "Badge",
      validForMonths: demo.validForMonths,
      createdAt: new Date(now),
      updatedAt: new Date(now),
    });
  }
  const rows = [];
  for (const badgeClass of classes) {
    const checked = checkAward(
      new Problems(),
      badgeClass,
      { email: "learner@laurel.local", recipientName: "Lena Learner", narrative: "Demo award." },
      now,
    );
    rows.push(await awardRow(badgeClass, checked, owner.id, `seed:${badgeClass.name}`, now));
  }
  const issuer = {
    id: issuerId,
    name: "Laurel Demo Academy",
    url: "https://academy.example.org",
    email: "badges@academy.example.org",
    description: "A demo issuer for local development.",
    imageKey: null,
    createdAt: new Date(now),
    updatedAt: new Date(now),
  };
  // One invitation waiting for an answer, so the members panel shows one; its email is in the dev mailbox.
  const invitation = await invitationWrites(ctx, issuer, owner, DEMO_INVITEE, "awarder", now);
  await ctx.db.batch([
    ctx.db.insert(issuers).values(issuer),
    ctx.db.insert(issuerMembers).values({ issuerId, userId: owner.id, role: "owner", createdAt: new Date(now) }),
    ctx.db.insert(badgeClasses).values(classes),
    ctx.db.insert(awards).values(rows),
    auditInsert(ctx.db, { actorUserId: null, action: "issuer.seeded", subjectType: "issuer", subjectId: issuerId }, now),
    ...invitation.statements,
  ]);
  afterCommit(ctx, [invitation.mailId]);
  return true;
}
