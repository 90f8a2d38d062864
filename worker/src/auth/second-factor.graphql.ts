import { builder } from "../graphql/builder";
import { InvalidCodeError, RateLimitedError, SignInExpiredError } from "../lib/errors";
import { RecoveryCodeIssuedType } from "../mfa/mfa.graphql";
import { verifyRecoveryCode, verifySignInCode } from "./second-factor.service";
import { signedIn } from "./sign-in-step";
import { SignInStepType } from "./sign-in-step.graphql";

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
