import { and, asc, desc, eq, inArray, not } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import { auditInsert, auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { rowExists } from "../db/conditional";
import { inSlices } from "../db/limits";
import { purgeAfterCommit } from "../http/edge-cache";
import { checkList, checkText, checkUrl } from "../lib/checks";
import { NotFoundError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { checkImage, storeImage, uploadImage } from "../lib/images";
import { publicUrls } from "../lib/public-urls";
import { awards } from "./awards.table";
import { type Alignment, type BadgeClass, badgeClasses, type CompletionRule } from "./badge-classes.table";
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
  /** A PNG of an SVG `image` for link previews; the SPA draws it from the SVG it uploads. */
  previewImage?: File | null;
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
  const previewImageKey = await previewKeyFor(ctx, input, imageKey, null);
  const now = ctx.now();
  const id = newId();
  const [created] = await ctx.db.batch([
    ctx.db
      .insert(badgeClasses)
      .values({ id, issuerId, ...values, imageKey, previewImageKey, createdAt: new Date(now), updatedAt: new Date(now) })
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

/**
 * The key of the class's link-preview PNG: a new one when given, else `kept` (the current
 * preview, or null once the image it was drawn from is replaced, so no preview shows an old
 * image). Only an SVG needs one; a PNG image is its own preview.
 */
async function previewKeyFor(ctx: AppContext, input: BadgeClassInput, imageKey: string, kept: string | null): Promise<string | null> {
  if (!input.previewImage) return kept;
  if (!imageKey.endsWith(".svg")) {
    throw ValidationError.field("previewImage", "Only an SVG badge image needs a PNG preview; a PNG image is its own preview.");
  }
  const preview = checkImage("previewImage", new Uint8Array(await input.previewImage.arrayBuffer()), input.previewImage.type);
  if (preview.contentType !== "image/png") throw ValidationError.field("previewImage", "The preview must be a PNG image.");
  return storeImage(ctx, "badges", preview);
}

/**
 * What an award was earned against (ADR 022): once a class has an award these stay as they
 * were, because the hosted Open Badges 2.0 class is live and changing them would change, after
 * the fact, what every earner is said to have done. A different requirement is a new class.
 */
export const LOCKED_ONCE_AWARDED = ["criteriaNarrative", "criteriaUrl", "achievementType"] as const;

const LOCKED_MESSAGE = "Badges were already awarded against this; create a new badge class to change it.";

/** Public pages purged at once after an edit; older ones are served until their edge copy expires. */
const PURGED_AWARD_PAGES = 100;

const hasAwards = (ctx: Pick<AppContext, "db">, id: string) => rowExists(ctx.db, awards, eq(awards.badgeClassId, id));

/** The fields of LOCKED_ONCE_AWARDED this class can no longer change (none until its first award). */
export async function lockedFieldsOf(ctx: Pick<AppContext, "db">, id: string): Promise<string[]> {
  const [row] = await ctx.db
    .select({ awarded: hasAwards(ctx, id) })
    .from(badgeClasses)
    .where(eq(badgeClasses.id, id))
    .all();
  return row?.awarded ? [...LOCKED_ONCE_AWARDED] : [];
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Editors and owners change a class. Hosted documents (the OB 2.0 class and assertions, the
 * public pages) show the class as it now is; signed OB 3.0 credentials keep what was signed
 * (ADR 022). Criteria and type are refused once the class has an award, decided in the same
 * statement as the update, so an award landing meanwhile wins over the change.
 */
export async function updateBadgeClass(ctx: AppContext, user: User, id: string, input: BadgeClassInput): Promise<BadgeClass> {
  const existing = await requireBadgeClass(ctx, id);
  await requireIssuerRole(ctx, user, existing.issuerId, "edit");
  const values = checkBadgeClass(input);
  const changed = (Object.keys(values) as (keyof typeof values)[]).filter((key) => !sameValue(values[key], existing[key]));
  const lockedChanged = LOCKED_ONCE_AWARDED.filter((key) => changed.includes(key));
  const refuseLocked = () => {
    const problems = new Problems();
    for (const key of lockedChanged) problems.add(key, LOCKED_MESSAGE);
    problems.throwIfAny();
  };
  if (lockedChanged.length > 0 && (await lockedFieldsOf(ctx, id)).length > 0) refuseLocked();
  const imageKey = input.image ? await uploadImage(ctx, "image", "badges", input.image) : existing.imageKey;
  const previewImageKey = await previewKeyFor(ctx, input, imageKey, imageKey === existing.imageKey ? existing.previewImageKey : null);
  const fields = [
    ...changed,
    ...(imageKey === existing.imageKey ? [] : ["image"]),
    ...(previewImageKey === existing.previewImageKey ? [] : ["previewImage"]),
  ];
  if (fields.length === 0) return existing;
  const now = ctx.now();
  const guard = lockedChanged.length > 0 ? and(eq(badgeClasses.id, id), not(hasAwards(ctx, id))) : eq(badgeClasses.id, id);
  const [, updated] = await ctx.db.batch([
    // Before the update, under its guard: one entry for the change, only if it happens.
    auditInsertWhere(
      ctx.db,
      { actorUserId: user.id, action: "badge-class.updated", subjectType: "badge-class", subjectId: id, data: { fields }, ip: ctx.ip },
      now,
      rowExists(ctx.db, badgeClasses, guard),
    ),
    ctx.db
      .update(badgeClasses)
      .set({ ...values, imageKey, previewImageKey, updatedAt: new Date(now) })
      .where(guard)
      .returning(),
  ]);
  const badgeClass = updated[0];
  if (!badgeClass) {
    // An award landed between the check above and the update.
    refuseLocked();
    throw new NotFoundError("No badge class with that id.");
  }
  const recent = await ctx.db
    .select({ id: awards.id })
    .from(awards)
    .where(eq(awards.badgeClassId, id))
    .orderBy(desc(awards.createdAt))
    .limit(PURGED_AWARD_PAGES)
    .all();
  const urls = publicUrls(ctx.config.appUrl);
  purgeAfterCommit(ctx, [urls.badge(id), ...recent.map((award) => urls.assertion(award.id))]);
  return badgeClass;
}

/**
 * For another domain's batch (a pathway's edit): records what completes a badge Laurel awards
 * itself, so its public documents tell verifiers why it was earned.
 */
export function setCompletionRuleStatement(ctx: Pick<AppContext, "db">, badgeClassId: string, rule: CompletionRule | null, now: number) {
  return ctx.db
    .update(badgeClasses)
    .set({ completionRule: rule, updatedAt: new Date(now) })
    .where(eq(badgeClasses.id, badgeClassId));
}
