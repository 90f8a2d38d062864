import { builder } from "../graphql/builder";
import { publicUrls } from "../lib/public-urls";
import { UserType } from "./accounts.graphql";
import { getProfile, setProfilePhoto, updateProfile } from "./profile.service";
import type { Profile } from "./profile.table";

const SocialLinkType = builder.objectRef<{ label: string; url: string }>("SocialLink").implement({
  fields: (t) => ({ label: t.exposeString("label"), url: t.exposeString("url") }),
});

export const ProfileType = builder.objectRef<Omit<Profile, "userId" | "updatedAt">>("Profile").implement({
  description: "What the learner shows about themselves next to their badges.",
  fields: (t) => ({
    headline: t.exposeString("headline"),
    photoUrl: t.string({ nullable: true, resolve: (p, _a, ctx) => (p.photoKey ? publicUrls(ctx.config.appUrl).image(p.photoKey) : null) }),
    socialLinks: t.field({ type: [SocialLinkType], resolve: (p) => p.socialLinks }),
    institutions: t.exposeStringList("institutions", { description: "Educational providers." }),
    shownPublicly: t.exposeBoolean("shownPublicly", {
      description: "Whether the learner's name and this profile appear on their public badge and collection pages.",
    }),
  }),
});

builder.objectField(UserType, "profile", (t) => t.field({ type: ProfileType, resolve: (u, _a, ctx) => getProfile(ctx, u.id) }));

const SocialLinkInput = builder.inputType("SocialLinkInput", { fields: (t) => ({ label: t.string(), url: t.string() }) });

builder.mutationFields((t) => ({
  updateProfile: t.withAuth({ signedIn: true }).field({
    type: ProfileType,
    errors: {},
    args: {
      headline: t.arg.string({ required: false }),
      socialLinks: t.arg({ type: [SocialLinkInput], required: false }),
      institutions: t.arg.stringList({ required: false }),
    },
    resolve: (_r, args, ctx) => updateProfile(ctx, ctx.user, args),
  }),
  setProfilePhoto: t.withAuth({ signedIn: true }).field({
    type: ProfileType,
    description: "PNG or SVG, 90–2048 px, at most 512 KB; null removes the photo.",
    errors: {},
    args: { photo: t.arg({ type: "File", required: false }) },
    resolve: (_r, args, ctx) => setProfilePhoto(ctx, ctx.user, args.photo ?? null),
  }),
}));
