import { eq } from "drizzle-orm";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { checkText, checkUrl } from "../lib/checks";
import { Problems } from "../lib/errors";
import { uploadImage } from "../lib/images";
import type { User } from "./accounts.table";
import { type Profile, profiles, type SocialLink } from "./profile.table";

const EMPTY = { headline: "", photoKey: null, socialLinks: [], institutions: [] };

export async function getProfile(ctx: Pick<AppContext, "db">, userId: string): Promise<Omit<Profile, "userId" | "updatedAt">> {
  return (await ctx.db.query.profiles.findFirst({ where: eq(profiles.userId, userId) })) ?? EMPTY;
}

export interface ProfileInput {
  headline?: string | null;
  socialLinks?: SocialLink[] | null;
  institutions?: string[] | null;
}

/** Replaces the profile's text fields; the photo is changed separately. */
export async function updateProfile(ctx: AppContext, user: User, input: ProfileInput) {
  const problems = new Problems();
  const headline = checkText(problems, "headline", "a headline", input.headline, 160, false);
  const socialLinks = (input.socialLinks ?? []).slice(0, 11).map((link, i) => ({
    label: checkText(problems, `socialLinks.${i}.label`, "the link's name", link.label, 40),
    url: checkUrl(problems, `socialLinks.${i}.url`, link.url, true) ?? "",
  }));
  if (socialLinks.length > 10) problems.add("socialLinks", "At most 10 links.");
  const institutions = (input.institutions ?? []).map((i) => i.trim()).filter(Boolean);
  if (institutions.length > 20) problems.add("institutions", "At most 20 educational providers.");
  if (institutions.some((i) => i.length > 200)) problems.add("institutions", "Each name can be at most 200 characters.");
  problems.throwIfAny();
  return saveProfile(ctx, user, { headline, socialLinks, institutions }, "account.profile-updated");
}

export async function setProfilePhoto(ctx: AppContext, user: User, photo: File | null) {
  // Photos need not be square; they are shown cropped to a circle.
  const photoKey = photo ? await uploadImage(ctx, "photo", "profiles", photo, { square: false }) : null;
  return saveProfile(ctx, user, { photoKey }, photo ? "account.photo-set" : "account.photo-removed");
}

async function saveProfile(ctx: AppContext, user: User, change: Partial<Omit<Profile, "userId" | "updatedAt">>, action: string) {
  const now = ctx.now();
  const current = await getProfile(ctx, user.id);
  const next = { ...current, ...change, userId: user.id, updatedAt: new Date(now) };
  const [saved] = await ctx.db.batch([
    ctx.db.insert(profiles).values(next).onConflictDoUpdate({ target: profiles.userId, set: next }).returning(),
    auditInsert(ctx.db, { actorUserId: user.id, action, subjectType: "user", subjectId: user.id, ip: ctx.ip }, now),
  ]);
  return saved[0]!;
}
