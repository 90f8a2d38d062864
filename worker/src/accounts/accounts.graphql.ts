import type { AppContext } from "../context";
import { builder } from "../graphql/builder";
import { ForbiddenError, InvalidCodeError, RateLimitedError } from "../lib/errors";
import { activateAccount, register, requestPasswordReset, resendActivationCode, resetPassword, updateName } from "./accounts.service";
import type { Email, User } from "./accounts.table";
import { listEmailsOfUsers, primaryEmails } from "./emails.service";

export const UserType = builder.objectRef<User>("User").implement({
  description: "A Laurel account.",
  fields: (t) => ({
    id: t.exposeID("id"),
    firstName: t.exposeString("firstName"),
    lastName: t.exposeString("lastName"),
    name: t.string({ resolve: (u) => `${u.firstName} ${u.lastName}` }),
    isStaff: t.boolean({ resolve: (u) => u.role === "staff" }),
    hasPassword: t.boolean({ resolve: (u) => u.passwordHash !== null }),
    createdAt: t.field({ type: "DateTime", resolve: (u) => u.createdAt }),
    // Grouped loaders: a list of users reads their emails in one query, not one per user.
    emails: t.loadableGroup({
      type: EmailType,
      load: (userIds: string[], ctx: AppContext) => listEmailsOfUsers(ctx, userIds),
      group: (email) => email.userId,
      resolve: (u) => u.id,
    }),
    primaryEmail: t.string({ resolve: (u, _args, ctx) => primaryEmails(ctx).load(u.id) }),
  }),
});

export const EmailType = builder.objectRef<Email>("Email").implement({
  description: "A verified email address of the account.",
  fields: (t) => ({
    id: t.exposeID("id"),
    address: t.exposeString("address"),
    isPrimary: t.exposeBoolean("isPrimary"),
    verifiedAt: t.field({ type: "DateTime", resolve: (e) => e.verifiedAt }),
  }),
});

export const CodeSent = builder.objectRef<{ email: string }>("CodeSent").implement({
  description: "A code is on its way to `email` (sent the same way whether or not an account uses it).",
  fields: (t) => ({ email: t.exposeString("email") }),
});

const AccountActivated = builder.objectRef<{ email: string; reconnected: boolean }>("AccountActivated").implement({
  fields: (t) => ({
    email: t.exposeString("email"),
    reconnected: t.exposeBoolean("reconnected", { description: "True when the code reconnected an existing account." }),
  }),
});

const PasswordReset = builder.objectRef<{ email: string }>("PasswordReset").implement({
  fields: (t) => ({ email: t.exposeString("email") }),
});

builder.queryField("me", (t) =>
  t.field({
    type: UserType,
    nullable: true,
    description: "The signed-in user, or null; null for an API token too, which must not read its creator's account.",
    resolve: (_root, _args, ctx) => (ctx.apiToken ? null : ctx.user),
  }),
);

builder.queryField("termsVersion", (t) =>
  t.string({
    description: "The version of the End user terms and Privacy policy a registration accepts.",
    resolve: (_r, _a, ctx) => ctx.config.termsVersion,
  }),
);

const TURNSTILE_ARG =
  "The Cloudflare Turnstile widget's token, required when Query.turnstile is set; a missing or refused one is a ValidationError on turnstileToken.";

const TurnstileSettings = builder.objectRef<{ siteKey: string; scriptUrl: string }>("TurnstileSettings").implement({
  description: "Cloudflare Turnstile on the signed-out forms: the widget's site key and script.",
  fields: (t) => ({ siteKey: t.exposeString("siteKey"), scriptUrl: t.exposeString("scriptUrl") }),
});

builder.queryField("turnstile", (t) =>
  t.field({
    type: TurnstileSettings,
    nullable: true,
    description: "Set when registration and password reset ask for a Turnstile token; null when they do not.",
    resolve: (_r, _a, ctx) =>
      ctx.config.turnstile ? { siteKey: ctx.config.turnstile.siteKey, scriptUrl: ctx.config.turnstile.scriptUrl } : null,
  }),
);

builder.mutationField("register", (t) =>
  t.field({
    type: CodeSent,
    errors: { types: [RateLimitedError] },
    args: {
      firstName: t.arg.string(),
      lastName: t.arg.string(),
      email: t.arg.string(),
      password: t.arg.string(),
      acceptTerms: t.arg.boolean(),
      turnstileToken: t.arg.string({ required: false, description: TURNSTILE_ARG }),
    },
    resolve: (_root, args, ctx) => register(ctx, args),
  }),
);

builder.mutationField("resendActivationCode", (t) =>
  t.field({
    type: CodeSent,
    errors: { types: [RateLimitedError] },
    args: { email: t.arg.string() },
    resolve: (_root, args, ctx) => resendActivationCode(ctx, args.email),
  }),
);

builder.mutationField("activateAccount", (t) =>
  t.field({
    type: AccountActivated,
    errors: { types: [InvalidCodeError, RateLimitedError] },
    args: { email: t.arg.string(), code: t.arg.string() },
    resolve: (_root, args, ctx) => activateAccount(ctx, args),
  }),
);

builder.mutationField("requestPasswordReset", (t) =>
  t.field({
    type: CodeSent,
    errors: { types: [RateLimitedError] },
    args: { email: t.arg.string(), turnstileToken: t.arg.string({ required: false, description: TURNSTILE_ARG }) },
    resolve: (_root, args, ctx) => requestPasswordReset(ctx, args.email, args.turnstileToken),
  }),
);

builder.mutationField("resetPassword", (t) =>
  t.field({
    type: PasswordReset,
    errors: { types: [InvalidCodeError, ForbiddenError, RateLimitedError] },
    args: { email: t.arg.string(), code: t.arg.string(), password: t.arg.string() },
    resolve: (_root, args, ctx) => resetPassword(ctx, args),
  }),
);

builder.mutationField("updateName", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: UserType,
    errors: {},
    args: { firstName: t.arg.string(), lastName: t.arg.string() },
    resolve: (_root, args, ctx) => updateName(ctx, ctx.user, args),
  }),
);
