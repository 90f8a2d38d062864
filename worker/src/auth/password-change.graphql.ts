import { builder } from "../graphql/builder";
import { InvalidCodeError, RateLimitedError } from "../lib/errors";
import { changePassword } from "./password-change.service";

const PasswordChangedType = builder.objectRef<{ changedAt: Date }>("PasswordChanged").implement({
  description: "The new password is set; every other session and remembered device has ended.",
  fields: (t) => ({ changedAt: t.field({ type: "DateTime", resolve: (p) => p.changedAt }) }),
});

builder.mutationField("changePassword", (t) =>
  t.field({
    type: PasswordChangedType,
    description: "Needs the current password and a code from the authenticator app. This browser stays signed in.",
    authScopes: { signedIn: true },
    errors: { types: [InvalidCodeError, RateLimitedError] },
    args: { password: t.arg.string(), newPassword: t.arg.string(), code: t.arg.string() },
    resolve: (_root, args, ctx) => changePassword(ctx, ctx.user!, args),
  }),
);
