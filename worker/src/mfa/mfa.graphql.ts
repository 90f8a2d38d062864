import { UserType } from "../accounts/accounts.graphql";
import { getPrimaryEmail } from "../accounts/accounts.service";
import { builder } from "../graphql/builder";
import { InvalidCodeError, NotFoundError, RateLimitedError, SignInExpiredError } from "../lib/errors";
import { abandonPendingSignIn, getPendingSignIn } from "../sessions/pending-sign-in";
import { SignInStepType, signedIn } from "../sessions/sessions.graphql";
import { type Enrolment, getActiveAuthenticator } from "./authenticators";
import {
  acknowledgeRecoveryCode,
  beginAuthenticatorReplacement,
  beginSignInSetup,
  confirmAuthenticatorReplacement,
  confirmSignInSetup,
  forgetRememberedDevices,
  regenerateRecoveryCode,
  resetUserMfa,
  verifyRecoveryCode,
  verifySignInCode,
} from "./mfa.service";
import { getRecoveryCodeCreatedAt } from "./recovery-codes";
import { isCurrentDevice, listRememberedDevices, type RememberedDevice } from "./remembered-devices";

const MfaEnrolmentType = builder.objectRef<Enrolment>("MfaEnrolment").implement({
  description: "A new authenticator to add to an app: scan the QR code, or type the secret.",
  fields: (t) => ({
    qrCodeSvg: t.exposeString("qrCodeSvg", { description: "An SVG QR code of the otpauth://totp URI (SHA-1, 6 digits, 30 s)." }),
    secret: t.exposeString("secret", { description: 'The base32 secret in groups of four, for "Trouble scanning?".' }),
    accountName: t.exposeString("accountName"),
  }),
});

const RecoveryCodeIssuedType = builder.objectRef<{ recoveryCode: string }>("RecoveryCodeIssued").implement({
  description: "A new recovery code, shown this once. Any earlier one no longer works.",
  fields: (t) => ({ recoveryCode: t.exposeString("recoveryCode") }),
});

const PendingStage = builder.enumType("PendingSignInStage", {
  values: {
    SETUP: { value: "setup", description: "Set up an authenticator app." },
    SECOND_FACTOR: { value: "second-factor", description: "Enter a code or the recovery code." },
    ACKNOWLEDGE: { value: "acknowledge", description: "Confirm the recovery code shown was saved." },
  } as const,
});

const PendingSignInType = builder
  .objectRef<{ stage: "setup" | "second-factor" | "acknowledge"; expiresAt: Date; email: string }>("PendingSignIn")
  .implement({
    description: "This browser is between the first factor and a session.",
    fields: (t) => ({
      stage: t.field({ type: PendingStage, resolve: (p) => p.stage }),
      expiresAt: t.field({ type: "DateTime", resolve: (p) => p.expiresAt }),
      email: t.exposeString("email"),
    }),
  });

const RememberedDeviceType = builder.objectRef<RememberedDevice & { current: boolean }>("RememberedDevice").implement({
  description: "A browser that skips the code at sign-in until `expiresAt`.",
  fields: (t) => ({
    id: t.exposeID("id"),
    current: t.exposeBoolean("current"),
    userAgent: t.exposeString("userAgent", { nullable: true }),
    createdAt: t.field({ type: "DateTime", resolve: (d) => d.createdAt }),
    lastUsedAt: t.field({ type: "DateTime", resolve: (d) => d.lastUsedAt }),
    expiresAt: t.field({ type: "DateTime", resolve: (d) => d.expiresAt }),
  }),
});

interface MfaSettings {
  userId: string;
  enabledAt: Date | null;
}

const MfaSettingsType = builder.objectRef<MfaSettings>("MfaSettings").implement({
  description: "The signed-in user's two-step sign-in.",
  fields: (t) => ({
    enabledAt: t.field({ type: "DateTime", nullable: true, resolve: (s) => s.enabledAt }),
    recoveryCodeCreatedAt: t.field({
      type: "DateTime",
      nullable: true,
      resolve: (s, _args, ctx) => getRecoveryCodeCreatedAt(ctx, s.userId),
    }),
    rememberedDevices: t.field({
      type: [RememberedDeviceType],
      resolve: async (_s, _args, ctx) => {
        const devices = await listRememberedDevices(ctx, ctx.user!, ctx.now());
        return Promise.all(devices.map(async (d) => ({ ...d, current: await isCurrentDevice(ctx, d) })));
      },
    }),
  }),
});

async function settingsOf(ctx: { db: Parameters<typeof getActiveAuthenticator>[0]["db"] }, userId: string): Promise<MfaSettings> {
  return { userId, enabledAt: (await getActiveAuthenticator(ctx, userId))?.confirmedAt ?? null };
}

// ---- Between the factors -------------------------------------------------------------------

builder.queryField("pendingSignIn", (t) =>
  t.field({
    type: PendingSignInType,
    nullable: true,
    description: "The sign-in this browser is in the middle of, or null.",
    resolve: async (_root, _args, ctx) => {
      const pending = await getPendingSignIn(ctx);
      return pending ? { stage: pending.stage, expiresAt: pending.expiresAt, email: await getPrimaryEmail(ctx, pending.userId) } : null;
    },
  }),
);

builder.mutationField("beginMfaSetup", (t) =>
  t.field({
    type: MfaEnrolmentType,
    description: "During the first sign-in of an account without an authenticator: a new secret to add to an app.",
    errors: { types: [SignInExpiredError] },
    resolve: (_root, _args, ctx) => beginSignInSetup(ctx),
  }),
);

builder.mutationField("confirmMfaSetup", (t) =>
  t.field({
    type: RecoveryCodeIssuedType,
    description: "A code from the new app turns it on and returns the recovery code, which acknowledgeRecoveryCode confirms.",
    errors: { types: [SignInExpiredError, InvalidCodeError] },
    args: { code: t.arg.string() },
    resolve: (_root, args, ctx) => confirmSignInSetup(ctx, args),
  }),
);

builder.mutationField("acknowledgeRecoveryCode", (t) =>
  t.field({
    type: SignInStepType,
    description: "The user saved the recovery code just shown: the session starts.",
    errors: { types: [SignInExpiredError] },
    resolve: async (_root, _args, ctx) => signedIn(await acknowledgeRecoveryCode(ctx)),
  }),
);

builder.mutationField("verifySignInCode", (t) =>
  t.field({
    type: SignInStepType,
    errors: { types: [SignInExpiredError, InvalidCodeError, RateLimitedError] },
    args: {
      code: t.arg.string(),
      rememberDevice: t.arg.boolean({ description: "Skip the code on this browser for 30 days." }),
    },
    resolve: async (_root, args, ctx) => signedIn(await verifySignInCode(ctx, args)),
  }),
);

builder.mutationField("verifyRecoveryCode", (t) =>
  t.field({
    type: RecoveryCodeIssuedType,
    description: "Signs in with the recovery code, which stops working; the new one returned must be acknowledged.",
    errors: { types: [SignInExpiredError, InvalidCodeError, RateLimitedError] },
    args: { code: t.arg.string() },
    resolve: (_root, args, ctx) => verifyRecoveryCode(ctx, args),
  }),
);

builder.mutationField("cancelSignIn", (t) =>
  t.boolean({
    description: "Abandons the pending sign-in of this browser. Always true.",
    resolve: async (_root, _args, ctx) => {
      await abandonPendingSignIn(ctx);
      return true;
    },
  }),
);

// ---- Settings ------------------------------------------------------------------------------

builder.queryField("myMfa", (t) =>
  t.field({
    type: MfaSettingsType,
    authScopes: { signedIn: true },
    resolve: (_root, _args, ctx) => settingsOf(ctx, ctx.user!.id),
  }),
);

builder.mutationField("beginAuthenticatorReplacement", (t) =>
  t.field({
    type: MfaEnrolmentType,
    description: "Needs the password (when the account has one) and a code from the current app.",
    authScopes: { signedIn: true },
    errors: { types: [InvalidCodeError, RateLimitedError] },
    args: { password: t.arg.string({ required: false }), code: t.arg.string() },
    resolve: (_root, args, ctx) => beginAuthenticatorReplacement(ctx, ctx.user!, args),
  }),
);

builder.mutationField("confirmAuthenticatorReplacement", (t) =>
  t.field({
    type: MfaSettingsType,
    description: "A code from the new app makes it the only authenticator.",
    authScopes: { signedIn: true },
    errors: { types: [InvalidCodeError] },
    args: { code: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      await confirmAuthenticatorReplacement(ctx, ctx.user!, args);
      return settingsOf(ctx, ctx.user!.id);
    },
  }),
);

builder.mutationField("regenerateRecoveryCode", (t) =>
  t.field({
    type: RecoveryCodeIssuedType,
    authScopes: { signedIn: true },
    errors: { types: [InvalidCodeError, RateLimitedError] },
    args: { code: t.arg.string({ description: "A current code from the authenticator app." }) },
    resolve: (_root, args, ctx) => regenerateRecoveryCode(ctx, ctx.user!, args),
  }),
);

builder.mutationField("forgetRememberedDevices", (t) =>
  t.int({
    description: "Every remembered browser asks for a code again; returns how many were forgotten.",
    authScopes: { signedIn: true },
    resolve: (_root, _args, ctx) => forgetRememberedDevices(ctx, ctx.user!),
  }),
);

builder.mutationField("resetUserMfa", (t) =>
  t.field({
    type: UserType,
    description: "Staff only: removes a locked-out user's authenticator and recovery code (audited; the user is emailed).",
    authScopes: { staff: true },
    errors: { types: [NotFoundError] },
    args: { userId: t.arg.id(), reason: t.arg.string() },
    resolve: (_root, args, ctx) => resetUserMfa(ctx, ctx.user!, { userId: String(args.userId), reason: args.reason }),
  }),
);
