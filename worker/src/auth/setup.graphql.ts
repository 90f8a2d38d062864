import { builder } from "../graphql/builder";
import { InvalidCodeError, SignInExpiredError } from "../lib/errors";
import { MfaEnrolmentType, RecoveryCodeIssuedType } from "../mfa/mfa.graphql";
import { acknowledgeRecoveryCode, beginSignInSetup, confirmSignInSetup } from "./setup.service";
import { signedIn } from "./sign-in-step";
import { SignInStepType } from "./sign-in-step.graphql";

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
