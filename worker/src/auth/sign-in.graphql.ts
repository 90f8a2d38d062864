import { builder } from "../graphql/builder";
import { InvalidCredentialsError, RateLimitedError } from "../lib/errors";
import { SignInStepType } from "./sign-in-step.graphql";
import { signIn } from "./sign-in.service";

builder.mutationField("signIn", (t) =>
  t.field({
    type: SignInStepType,
    errors: { types: [InvalidCredentialsError, RateLimitedError] },
    args: { email: t.arg.string(), password: t.arg.string() },
    resolve: (_root, args, ctx) => signIn(ctx, args),
  }),
);
