import { and, eq, isNotNull } from "drizzle-orm";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { checkText, checkUrl } from "../lib/checks";
import { Problems } from "../lib/errors";
import { uploadImage } from "../lib/images";
import { emails, type User, users } from "./accounts.table";
import { type Profile, profiles, type SocialLink } from "./profile.table";

const EMPTY = { headline: "", photoKey: null, socialLinks: [], institutions: [], shownPublicly: false };

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

/** What a learner's public pages show of them, only when they chose to (`shownPublicly`). */
export interface PublicProfile {
  name: string;
  headline: string;
  photoKey: string | null;
  socialLinks: SocialLink[];
  institutions: string[];
}

/** Sets the learner's choice to show their profile on their public pages. */
export async function setProfileShownPublicly(ctx: AppContext, user: User, shown: boolean) {
  return saveProfile(ctx, user, { shownPublicly: shown }, shown ? "account.profile-shown" : "account.profile-hidden");
}

/**
 * The public profile of the active account holding `address` verified, when its owner chose
 * to show it; null otherwise (no account, an unverified address, or the learner said no).
 */
export async function getPublicProfileOfAddress(ctx: Pick<AppContext, "db">, address: string): Promise<PublicProfile | null> {
  const row = await ctx.db
    .select({ user: users, profile: profiles })
    .from(emails)
    .innerJoin(users, eq(users.id, emails.userId))
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .where(and(eq(emails.address, address), isNotNull(emails.verifiedAt), eq(users.status, "active"), eq(profiles.shownPublicly, true)))
    .get();
  return row ? publicProfileOf(row.user, row.profile) : null;
}

/** The public profile of a learner, when they chose to show it. */
export async function getPublicProfile(ctx: Pick<AppContext, "db">, userId: string): Promise<PublicProfile | null> {
  const row = await ctx.db
    .select({ user: users, profile: profiles })
    .from(users)
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .where(and(eq(users.id, userId), eq(users.status, "active"), eq(profiles.shownPublicly, true)))
    .get();
  return row ? publicProfileOf(row.user, row.profile) : null;
}

const publicProfileOf = (user: User, profile: Profile): PublicProfile => ({
  name: `${user.firstName} ${user.lastName}`.trim(),
  headline: profile.headline,
  photoKey: profile.photoKey,
  socialLinks: profile.socialLinks,
  institutions: profile.institutions,
});
