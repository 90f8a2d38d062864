import { asc, eq, inArray } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { inSlices } from "../db/limits";
import { checkList, checkText, checkUrl } from "../lib/checks";
import { NotFoundError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { uploadImage } from "../lib/images";
import { type Alignment, type BadgeClass, badgeClasses } from "./badge-classes.table";
import { requireIssuerRole } from "./issuers.service";

export const ACHIEVEMENT_TYPES = [
  "Badge",
  "Certificate",
  "Certification",
  "Competency",
  "Course",
  "LearningProgram",
  "License",
  "MicroCredential",
  "Award",
] as const;

export interface BadgeClassInput {
  name: string;
  description: string;
  image?: File | null;
  criteriaNarrative?: string | null;
  criteriaUrl?: string | null;
  learningOutcomes?: string[] | null;
  alignments?: Alignment[] | null;
  tags?: string[] | null;
  achievementType?: string | null;
  validForMonths?: number | null;
}

export async function getBadgeClass(ctx: Pick<AppContext, "db">, id: string): Promise<BadgeClass | null> {
  return (await ctx.db.query.badgeClasses.findFirst({ where: eq(badgeClasses.id, id) })) ?? null;
}

export async function requireBadgeClass(ctx: Pick<AppContext, "db">, id: string): Promise<BadgeClass> {
  const badgeClass = await getBadgeClass(ctx, id);
  if (!badgeClass) throw new NotFoundError("No badge class with that id.");
  return badgeClass;
}

/** Badge classes by id, in no particular order; unknown ids are left out. */
export function getBadgeClasses(ctx: Pick<AppContext, "db">, ids: readonly string[]): Promise<BadgeClass[]> {
  return inSlices(ids, (slice) => ctx.db.select().from(badgeClasses).where(inArray(badgeClasses.id, slice)).all());
}

/** Every badge class of these issuers, by name. */
export function listBadgeClassesOfIssuers(ctx: Pick<AppContext, "db">, issuerIds: readonly string[]): Promise<BadgeClass[]> {
  return inSlices(issuerIds, (slice) =>
    ctx.db
      .select()
      .from(badgeClasses)
      .where(inArray(badgeClasses.issuerId, slice))
      .orderBy(asc(badgeClasses.name), asc(badgeClasses.id))
      .all(),
  );
}

function checkBadgeClass(input: BadgeClassInput) {
  const problems = new Problems();
  const name = checkText(problems, "name", "a name", input.name, 200);
  const description = checkText(problems, "description", "a learning description", input.description, 5000);
  const criteriaNarrative = checkText(problems, "criteriaNarrative", "criteria", input.criteriaNarrative, 10000, false) || null;
  const criteriaUrl = checkUrl(problems, "criteriaUrl", input.criteriaUrl);
  if (!criteriaNarrative && !criteriaUrl) problems.add("criteriaNarrative", "Describe the criteria, or give a web page that does.");
  const learningOutcomes = checkList(problems, "learningOutcomes", "learning outcomes", input.learningOutcomes, 50, 500);
  const tags = checkList(problems, "tags", "tags", input.tags, 30, 60);
  const alignments = (input.alignments ?? []).map((a, i) => {
    const field = `alignments.${i}`;
    return {
      name: checkText(problems, `${field}.name`, "the competency's name", a.name, 300),
      url: checkUrl(problems, `${field}.url`, a.url, true) ?? "",
      code: a.code?.trim() || null,
      framework: a.framework?.trim() || null,
    };
  });
  const achievementType = input.achievementType?.trim() || "Badge";
  if (!(ACHIEVEMENT_TYPES as readonly string[]).includes(achievementType))
    problems.add("achievementType", `Choose one of: ${ACHIEVEMENT_TYPES.join(", ")}.`);
  const validForMonths = input.validForMonths ?? null;
  if (validForMonths !== null && (!Number.isInteger(validForMonths) || validForMonths < 1 || validForMonths > 600)) {
    problems.add("validForMonths", "Enter a whole number of months between 1 and 600, or leave it empty.");
  }
  problems.throwIfAny();
  return { name, description, criteriaNarrative, criteriaUrl, learningOutcomes, tags, alignments, achievementType, validForMonths };
}

export async function createBadgeClass(ctx: AppContext, user: User, issuerId: string, input: BadgeClassInput): Promise<BadgeClass> {
  await requireIssuerRole(ctx, user, issuerId, "edit");
  const values = checkBadgeClass(input);
  if (!input.image) throw ValidationError.field("image", "Upload the badge image (PNG or SVG).");
  const imageKey = await uploadImage(ctx, "image", "badges", input.image);
  const now = ctx.now();
  const id = newId();
  const [created] = await ctx.db.batch([
    ctx.db
      .insert(badgeClasses)
      .values({ id, issuerId, ...values, imageKey, createdAt: new Date(now), updatedAt: new Date(now) })
      .returning(),
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "badge-class.created",
        subjectType: "badge-class",
        subjectId: id,
        data: { issuerId, name: values.name },
        ip: ctx.ip,
      },
      now,
    ),
  ]);
  return created[0]!;
}

export async function updateBadgeClass(ctx: AppContext, user: User, id: string, input: BadgeClassInput): Promise<BadgeClass> {
  const existing = await requireBadgeClass(ctx, id);
  await requireIssuerRole(ctx, user, existing.issuerId, "edit");
  const values = checkBadgeClass(input);
  const imageKey = input.image ? await uploadImage(ctx, "image", "badges", input.image) : existing.imageKey;
  const now = ctx.now();
  const [updated] = await ctx.db.batch([
    ctx.db
      .update(badgeClasses)
      .set({ ...values, imageKey, updatedAt: new Date(now) })
      .where(eq(badgeClasses.id, id))
      .returning(),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "badge-class.updated", subjectType: "badge-class", subjectId: id, data: values, ip: ctx.ip },
      now,
    ),
  ]);
  return updated[0]!;
}
