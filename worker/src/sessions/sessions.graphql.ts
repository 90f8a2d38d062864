import type { User } from "../accounts/accounts.table";
import { builder } from "../graphql/builder";
import { NotFoundError } from "../lib/errors";
import { endSession } from "./session-cookie";
import { listSessions, revokeAllSessions, revokeSession, type Session } from "./sessions.service";
import type { SignInStep } from "./sign-in";

const SignInStatus = builder.enumType("SignInStatus", {
  values: {
    SIGNED_IN: { value: "signed-in", description: "Every factor passed: the session cookie is set." },
    MFA_SETUP_REQUIRED: { value: "mfa-setup-required", description: "The account must set up an authenticator app first (beginMfaSetup)." },
    SECOND_FACTOR_REQUIRED: {
      value: "second-factor-required",
      description: "A code from the authenticator app (verifySignInCode) or the recovery code (verifyRecoveryCode) is next.",
    },
  } as const,
});

/** What comes after a factor passes: a session, or the next step within the pending sign-in. */
export const SignInStepType = builder.objectRef<SignInStep>("SignInStep").implement({
  fields: (t) => ({
    status: t.field({ type: SignInStatus, resolve: (step) => step.kind }),
    userId: t.id({ nullable: true, resolve: (step) => (step.kind === "signed-in" ? step.user.id : null) }),
    pendingExpiresAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When the pending sign-in ends, if there is one.",
      resolve: (step) => (step.kind === "signed-in" ? null : step.expiresAt),
    }),
  }),
});

export const signedIn = (user: User): SignInStep => ({ kind: "signed-in", user });

const SessionType = builder.objectRef<Session & { current: boolean }>("Session").implement({
  description: "A signed-in browser or device.",
  fields: (t) => ({
    id: t.exposeID("id"),
    current: t.exposeBoolean("current"),
    createdAt: t.field({ type: "DateTime", resolve: (s) => s.createdAt }),
    lastSeenAt: t.field({ type: "DateTime", resolve: (s) => s.lastSeenAt }),
    expiresAt: t.field({ type: "DateTime", resolve: (s) => s.expiresAt }),
    userAgent: t.exposeString("userAgent", { nullable: true }),
    ip: t.exposeString("ip", { nullable: true }),
  }),
});

builder.queryField("mySessions", (t) =>
  t.field({
    type: [SessionType],
    authScopes: { signedIn: true },
    resolve: async (_root, _args, ctx) => (await listSessions(ctx, ctx.user!.id)).map((s) => ({ ...s, current: s.id === ctx.session?.id })),
  }),
);

builder.mutationField("signOut", (t) =>
  t.boolean({
    description: "Ends this session. Always true: signing out twice is harmless.",
    resolve: async (_root, _args, ctx) => {
      await endSession(ctx);
      return true;
    },
  }),
);

const SessionRevoked = builder.objectRef<{ id: string }>("SessionRevoked").implement({
  fields: (t) => ({ id: t.exposeID("id") }),
});

builder.mutationField("revokeSession", (t) =>
  t.field({
    type: SessionRevoked,
    authScopes: { signedIn: true },
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, ctx) => {
      const sessions = await listSessions(ctx, ctx.user!.id);
      if (!sessions.some((s) => s.id === id)) throw new NotFoundError("That session has already ended.");
      if (id === ctx.session?.id) await endSession(ctx);
      else await revokeSession(ctx, ctx.user!.id, String(id));
      return { id: String(id) };
    },
  }),
);

builder.mutationField("signOutOtherSessions", (t) =>
  t.int({
    description: "Ends every other session of the signed-in user; returns how many ended.",
    authScopes: { signedIn: true },
    resolve: (_root, _args, ctx) => revokeAllSessions(ctx, ctx.user!.id, ctx.session?.id),
  }),
);
