import { CodeSent } from "../accounts/accounts.graphql";
import { builder } from "../graphql/builder";
import { ActivationPendingError, InvalidCredentialsError, RateLimitedError } from "../lib/errors";
import { requestSignInLink, signIn } from "./sign-in.service";
import { SignInStepType } from "./sign-in-step.graphql";

builder.mutationField("signIn", (t) =>
  t.field({
    type: SignInStepType,
    errors: { types: [InvalidCredentialsError, RateLimitedError, ActivationPendingError] },
    args: {
      email: t.arg.string(),
      password: t.arg.string(),
      unlockToken: t.arg.string({
        required: false,
        description: "From an emailed sign-in link: lets the right password through once while the address's sign-in is paused.",
      }),
    },
    resolve: (_root, args, ctx) => signIn(ctx, args),
  }),
);

builder.mutationField("requestSignInLink", (t) =>
  t.field({
    type: CodeSent,
    description: "Emails a single-use sign-in link (30 minutes) to the address; answered the same whether or not an account uses it.",
    errors: { types: [RateLimitedError] },
    args: { email: t.arg.string() },
    resolve: (_root, args, ctx) => requestSignInLink(ctx, args.email),
  }),
);
