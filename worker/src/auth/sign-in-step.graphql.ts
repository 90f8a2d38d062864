import { builder } from "../graphql/builder";
import type { SignInStep } from "./sign-in-step";

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
