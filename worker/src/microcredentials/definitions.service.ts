import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import { auditInsert } from "../audit/audit";
import { requireBadgeClass } from "../badges/badge-classes.service";
import { badgeClasses } from "../badges/badge-classes.table";
import { requireIssuerRole } from "../badges/issuers.service";
import type { AppContext } from "../context";
import { checkList, checkText, checkUrl } from "../lib/checks";
import { Problems } from "../lib/errors";
import { pathwaySteps, pathways } from "../pathways/pathways.table";
import {
  type MicroCredential,
  microCredentialPrerequisites,
  microCredentialStepPrerequisites,
  microCredentials,
  PART_KINDS,
  type PartKind,
  type RubricCriterion,
  type SubmissionPart,
} from "./micro-credentials.table";

/** Largest evidence file an issuer may allow (ADR 020: streamed to R2, never held whole). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** What a file part may accept: types the upload can recognise by their first bytes. */
export const FILE_TYPES = [
  "application/pdf",
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "video/mp4",
  "application/zip",
] as const;

export interface PartInput {
  id?: string | null;
  title: string;
  prompt: string;
  kind: PartKind;
  required?: boolean | null;
  wordLimit?: number | null;
  fileTypes?: string[] | null;
  maxBytes?: number | null;
}

export interface CriterionInput {
  id?: string | null;
  name: string;
  description?: string | null;
  /** Ids of the parts it judges, or their positions ("0", "1" …) for parts new in this input. */
  partIds: string[];
  levels: { name: string; description?: string | null }[];
  requiredLevel: number;
}

export interface MicroCredentialInput {
  competency: string;
  keyMethod: string;
  methodComponents?: string | null;
  research?: string | null;
  resources?: { title: string; url: string }[] | null;
  parts: PartInput[];
  criteria: CriterionInput[];
  prerequisiteBadgeClassIds?: string[] | null;
  /** Pathway steps (or pathways) the learner must meet first. */
  prerequisiteStepIds?: string[] | null;
  reviewTargetDays?: number | null;
  blindReview?: boolean | null;
}

export async function getMicroCredential(ctx: Pick<AppContext, "db">, badgeClassId: string): Promise<MicroCredential | null> {
  return (await ctx.db.query.microCredentials.findFirst({ where: eq(microCredentials.badgeClassId, badgeClassId) })) ?? null;
}

/** Every micro-credential, newest definition first: the public catalogue learners choose from. */
export function listMicroCredentials(ctx: Pick<AppContext, "db">, options: { first: number }): Promise<MicroCredential[]> {
  return ctx.db
    .select()
    .from(microCredentials)
    .orderBy(desc(microCredentials.updatedAt), microCredentials.badgeClassId)
    .limit(options.first)
    .all();
}

/** How many of these ids name a pathway step or a whole pathway. */
async function pathwayNodesFound(ctx: Pick<AppContext, "db">, ids: string[]): Promise<number> {
  const list = JSON.stringify(ids);
  const [steps, whole] = await Promise.all([
    ctx.db
      .select({ id: pathwaySteps.id })
      .from(pathwaySteps)
      .where(sql`${pathwaySteps.id} in (select value from json_each(${list}))`)
      .all(),
    ctx.db.select({ id: pathways.id }).from(pathways).where(sql`${pathways.id} in (select value from json_each(${list}))`).all(),
  ]);
  return steps.length + whole.length;
}

/** The pathway steps the micro-credential requires, by id. */
export async function listStepPrerequisites(ctx: Pick<AppContext, "db">, badgeClassId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ stepId: microCredentialStepPrerequisites.stepId })
    .from(microCredentialStepPrerequisites)
    .where(eq(microCredentialStepPrerequisites.badgeClassId, badgeClassId))
    .all();
  return rows.map((r) => r.stepId);
}

export async function listPrerequisites(ctx: Pick<AppContext, "db">, badgeClassId: string) {
  return ctx.db
    .select({ id: badgeClasses.id, name: badgeClasses.name })
    .from(microCredentialPrerequisites)
    .innerJoin(badgeClasses, eq(badgeClasses.id, microCredentialPrerequisites.requiredBadgeClassId))
    .where(eq(microCredentialPrerequisites.badgeClassId, badgeClassId))
    .all();
}

function checkParts(problems: Problems, input: PartInput[]): SubmissionPart[] {
  if (input.length === 0) problems.add("parts", "Add at least one part the learner submits.");
  if (input.length > 20) problems.add("parts", "At most 20 parts.");
  return input.map((p, i) => {
    const field = `parts.${i}`;
    const kind = PART_KINDS.includes(p.kind) ? p.kind : "text";
    if (!PART_KINDS.includes(p.kind)) problems.add(`${field}.kind`, "A part is text, file or link.");
    const wordLimit = kind === "text" ? (p.wordLimit ?? null) : null;
    if (wordLimit !== null && (!Number.isInteger(wordLimit) || wordLimit < 1 || wordLimit > 20000)) {
      problems.add(`${field}.wordLimit`, "A word limit is a whole number from 1 to 20,000.");
    }
    let fileTypes: string[] | null = null;
    let maxBytes: number | null = null;
    if (kind === "file") {
      fileTypes = (p.fileTypes ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean);
      if (fileTypes.length === 0) problems.add(`${field}.fileTypes`, "Choose the file types this part accepts.");
      const unknown = fileTypes.filter((t) => !(FILE_TYPES as readonly string[]).includes(t));
      if (unknown.length) problems.add(`${field}.fileTypes`, `Laurel accepts only ${FILE_TYPES.join(", ")}; not ${unknown.join(", ")}.`);
      maxBytes = p.maxBytes ?? MAX_FILE_BYTES;
      if (!Number.isInteger(maxBytes) || maxBytes < 1024 || maxBytes > MAX_FILE_BYTES) {
        problems.add(`${field}.maxBytes`, `A size limit is from 1 KB to ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
      }
    }
    return {
      id: p.id?.trim() || crypto.randomUUID(),
      title: checkText(problems, `${field}.title`, "a title for the part", p.title, 200),
      prompt: checkText(problems, `${field}.prompt`, "what the learner should submit", p.prompt, 5000),
      kind,
      required: p.required ?? true,
      wordLimit,
      fileTypes,
      maxBytes,
    };
  });
}

function checkCriteria(problems: Problems, input: CriterionInput[], parts: SubmissionPart[], given: PartInput[]): RubricCriterion[] {
  if (input.length === 0) problems.add("criteria", "Add at least one rubric criterion.");
  if (input.length > 30) problems.add("criteria", "At most 30 criteria.");
  return input.map((c, i) => {
    const field = `criteria.${i}`;
    const partIds = c.partIds.map((ref) => {
      const byId = parts.find((p) => p.id === ref);
      if (byId) return byId.id;
      const position = /^\d+$/.test(ref) ? Number(ref) : -1;
      if (position >= 0 && position < parts.length && !given[position]?.id) return parts[position]!.id;
      problems.add(`${field}.partIds`, `"${ref}" is not one of the parts.`);
      return ref;
    });
    if (partIds.length === 0) problems.add(`${field}.partIds`, "Tie the criterion to the parts it judges.");
    const levels = c.levels.map((l, j) => ({
      name: checkText(problems, `${field}.levels.${j}.name`, "a name for the level", l.name, 200),
      description: checkText(problems, `${field}.levels.${j}.description`, "a description", l.description, 2000, false) || null,
    }));
    if (levels.length < 2 || levels.length > 10) problems.add(`${field}.levels`, "A criterion has 2 to 10 levels, lowest first.");
    if (!Number.isInteger(c.requiredLevel) || c.requiredLevel < 0 || c.requiredLevel >= levels.length) {
      problems.add(`${field}.requiredLevel`, "The required level is one of the criterion's levels.");
    }
    return {
      id: c.id?.trim() || crypto.randomUUID(),
      name: checkText(problems, `${field}.name`, "a name for the criterion", c.name, 200),
      description: checkText(problems, `${field}.description`, "a description", c.description, 2000, false) || null,
      partIds: [...new Set(partIds)],
      levels,
      requiredLevel: c.requiredLevel,
    };
  });
}

/** Makes a badge class a micro-credential, or changes its definition. Editors and owners only. */
export async function setMicroCredential(
  ctx: AppContext,
  user: User,
  badgeClassId: string,
  input: MicroCredentialInput,
): Promise<MicroCredential> {
  const badgeClass = await requireBadgeClass(ctx, badgeClassId);
  await requireIssuerRole(ctx, user, badgeClass.issuerId, "edit");
  const problems = new Problems();
  const competency = checkText(problems, "competency", "the competency statement", input.competency, 2000);
  const keyMethod = checkText(problems, "keyMethod", "the key method", input.keyMethod, 5000);
  const methodComponents = checkText(problems, "methodComponents", "the method components", input.methodComponents, 10000, false);
  const research = checkText(problems, "research", "the supporting research", input.research, 10000, false);
  const resources = (input.resources ?? []).map((r, i) => ({
    title: checkText(problems, `resources.${i}.title`, "a title for the resource", r.title, 200),
    url: checkUrl(problems, `resources.${i}.url`, r.url, true) ?? "",
  }));
  const parts = checkParts(problems, input.parts);
  if (new Set(parts.map((p) => p.id)).size !== parts.length) problems.add("parts", "Each part needs its own id.");
  const criteria = checkCriteria(problems, input.criteria, parts, input.parts);
  const reviewTargetDays = input.reviewTargetDays ?? 14;
  if (!Number.isInteger(reviewTargetDays) || reviewTargetDays < 1 || reviewTargetDays > 365) {
    problems.add("reviewTargetDays", "The review target is 1 to 365 days.");
  }
  const prerequisiteIds = checkList(problems, "prerequisiteBadgeClassIds", "prerequisites", input.prerequisiteBadgeClassIds, 10, 100);
  if (prerequisiteIds.includes(badgeClassId)) problems.add("prerequisiteBadgeClassIds", "A badge cannot require itself.");
  const known = prerequisiteIds.length
    ? await ctx.db.select({ id: badgeClasses.id }).from(badgeClasses).where(inArray(badgeClasses.id, prerequisiteIds)).all()
    : [];
  if (known.length !== new Set(prerequisiteIds).size)
    problems.add("prerequisiteBadgeClassIds", "One of the prerequisites is not a badge class.");
  const stepIds = [...new Set(checkList(problems, "prerequisiteStepIds", "prerequisite steps", input.prerequisiteStepIds, 10, 100))];
  if (stepIds.length && (await pathwayNodesFound(ctx, stepIds)) !== stepIds.length) {
    problems.add("prerequisiteStepIds", "One of the prerequisite steps is not a step of a pathway.");
  }
  problems.throwIfAny();

  const now = ctx.now();
  const values = {
    issuerId: badgeClass.issuerId,
    competency,
    keyMethod,
    methodComponents,
    research,
    resources,
    parts,
    criteria,
    reviewTargetDays,
    blindReview: input.blindReview ?? false,
    updatedAt: new Date(now),
  };
  const [saved] = await ctx.db.batch([
    ctx.db
      .insert(microCredentials)
      .values({ badgeClassId, ...values, createdAt: new Date(now) })
      .onConflictDoUpdate({ target: microCredentials.badgeClassId, set: values })
      .returning(),
    ctx.db
      .update(badgeClasses)
      .set({ achievementType: "MicroCredential", updatedAt: new Date(now) })
      .where(eq(badgeClasses.id, badgeClassId)),
    ctx.db.delete(microCredentialPrerequisites).where(and(eq(microCredentialPrerequisites.badgeClassId, badgeClassId))),
    ...[...new Set(prerequisiteIds)].map((requiredBadgeClassId) =>
      ctx.db.insert(microCredentialPrerequisites).values({ badgeClassId, requiredBadgeClassId }),
    ),
    ctx.db.delete(microCredentialStepPrerequisites).where(eq(microCredentialStepPrerequisites.badgeClassId, badgeClassId)),
    ...stepIds.map((stepId) => ctx.db.insert(microCredentialStepPrerequisites).values({ badgeClassId, stepId })),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "micro-credential.set", subjectType: "badge-class", subjectId: badgeClassId, ip: ctx.ip },
      now,
    ),
  ]);
  return saved[0]!;
}
