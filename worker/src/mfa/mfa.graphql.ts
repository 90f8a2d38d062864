import { UserType } from "../accounts/accounts.graphql";
import { builder } from "../graphql/builder";
import { InvalidCodeError, NotFoundError, RateLimitedError } from "../lib/errors";
import { type Enrolment, getActiveAuthenticator } from "./authenticators";
import {
  beginAuthenticatorReplacement,
  confirmAuthenticatorReplacement,
  forgetRememberedDevices,
  regenerateRecoveryCode,
  resetUserMfa,
} from "./mfa.service";
import { getRecoveryCodeCreatedAt } from "./recovery-codes";
import { isCurrentDevice, listRememberedDevices, type RememberedDevice } from "./remembered-devices";

export const MfaEnrolmentType = builder.objectRef<Enrolment>("MfaEnrolment").implement({
  description: "A new authenticator to add to an app: scan the QR code, or type the secret.",
  fields: (t) => ({
    qrCodeSvg: t.exposeString("qrCodeSvg", { description: "An SVG QR code of the otpauth://totp URI (SHA-1, 6 digits, 30 s)." }),
    secret: t.exposeString("secret", { description: 'The base32 secret in groups of four, for "Trouble scanning?".' }),
    accountName: t.exposeString("accountName"),
    hasPassword: t.boolean({
      nullable: true,
      description:
        "At the first sign-in's set-up (beginMfaSetup): whether the account has a password; false for one that signs in only with Google or Microsoft. Null elsewhere.",
      resolve: (e) => e.hasPassword ?? null,
    }),
  }),
});

export const RecoveryCodeIssuedType = builder.objectRef<{ recoveryCode: string }>("RecoveryCodeIssued").implement({
  description: "A new recovery code, shown this once. Any earlier one no longer works.",
  fields: (t) => ({ recoveryCode: t.exposeString("recoveryCode") }),
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
    rememberedDevices: t.withAuth({ signedIn: true }).field({
      type: [RememberedDeviceType],
      resolve: async (_s, _args, ctx) => {
        const devices = await listRememberedDevices(ctx, ctx.user, ctx.now());
        return Promise.all(devices.map(async (d) => ({ ...d, current: await isCurrentDevice(ctx, d) })));
      },
    }),
  }),
});

async function settingsOf(ctx: { db: Parameters<typeof getActiveAuthenticator>[0]["db"] }, userId: string): Promise<MfaSettings> {
  return { userId, enabledAt: (await getActiveAuthenticator(ctx, userId))?.confirmedAt ?? null };
}

// ---- Settings ------------------------------------------------------------------------------

builder.queryField("myMfa", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: MfaSettingsType,
    resolve: (_root, _args, ctx) => settingsOf(ctx, ctx.user.id),
  }),
);

builder.mutationField("beginAuthenticatorReplacement", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: MfaEnrolmentType,
    description: "Needs the password (when the account has one) and a code from the current app.",
    errors: { types: [InvalidCodeError, RateLimitedError] },
    args: { password: t.arg.string({ required: false }), code: t.arg.string() },
    resolve: (_root, args, ctx) => beginAuthenticatorReplacement(ctx, ctx.user, args),
  }),
);

builder.mutationField("confirmAuthenticatorReplacement", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: MfaSettingsType,
    description: "A code from the new app makes it the only authenticator.",
    errors: { types: [InvalidCodeError] },
    args: { code: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      await confirmAuthenticatorReplacement(ctx, ctx.user, args);
      return settingsOf(ctx, ctx.user.id);
    },
  }),
);

builder.mutationField("regenerateRecoveryCode", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: RecoveryCodeIssuedType,
    errors: { types: [InvalidCodeError, RateLimitedError] },
    args: { code: t.arg.string({ description: "A current code from the authenticator app." }) },
    resolve: (_root, args, ctx) => regenerateRecoveryCode(ctx, ctx.user, args),
  }),
);

builder.mutationField("forgetRememberedDevices", (t) =>
  t.withAuth({ signedIn: true }).int({
    description: "Every remembered browser asks for a code again; returns how many were forgotten.",
    resolve: (_root, _args, ctx) => forgetRememberedDevices(ctx, ctx.user),
  }),
);

builder.mutationField("resetUserMfa", (t) =>
  t.withAuth({ staff: true }).field({
    type: UserType,
    description: "Staff only: removes a locked-out user's authenticator and recovery code (audited; the user is emailed).",
    errors: { types: [NotFoundError] },
    args: { userId: t.arg.id(), reason: t.arg.string() },
    resolve: (_root, args, ctx) => resetUserMfa(ctx, ctx.user, { userId: String(args.userId), reason: args.reason }),
  }),
);
