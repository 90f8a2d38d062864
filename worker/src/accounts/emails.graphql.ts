import { builder } from "../graphql/builder";
import { ErrorInterface } from "../graphql/errors.graphql";
import { InvalidCodeError, InvalidCredentialsError, NotFoundError, RateLimitedError } from "../lib/errors";
import { CodeSent, EmailType, UserType } from "./accounts.graphql";
import { addEmail, confirmEmail, MergeRequiredError, removeEmail, setPrimaryEmail } from "./emails.service";
import { mergeAccount } from "./merge.service";

builder.objectType(MergeRequiredError, {
  name: "MergeRequiredError",
  description: "The address is verified by another Laurel account: link it with mergeAccount (its password and authenticator code).",
  interfaces: [ErrorInterface],
  fields: (t) => ({ address: t.exposeString("address") }),
});

builder.mutationFields((t) => ({
  addEmail: t.withAuth({ signedIn: true }).field({
    type: CodeSent,
    description: "Emails a code to an address to add to your account.",
    errors: { types: [RateLimitedError] },
    args: { address: t.arg.string() },
    resolve: (_r, { address }, ctx) => addEmail(ctx, ctx.user, address),
  }),
  confirmEmail: t.withAuth({ signedIn: true }).field({
    type: EmailType,
    description: "Adds the address once its code comes back, or answers MergeRequiredError when another account owns it.",
    errors: { types: [InvalidCodeError, MergeRequiredError, RateLimitedError] },
    args: { address: t.arg.string(), code: t.arg.string() },
    resolve: (_r, args, ctx) => confirmEmail(ctx, ctx.user, args),
  }),
  setPrimaryEmail: t.withAuth({ signedIn: true }).field({
    type: UserType,
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: async (_r, { id }, ctx) => {
      await setPrimaryEmail(ctx, ctx.user, String(id));
      return ctx.user;
    },
  }),
  removeEmail: t.withAuth({ signedIn: true }).field({
    type: UserType,
    description: "Removes an address other than the primary and the last one. Badges awarded to it stay valid; they leave this backpack.",
    errors: { types: [NotFoundError] },
    args: { id: t.arg.id() },
    resolve: async (_r, { id }, ctx) => {
      await removeEmail(ctx, ctx.user, String(id));
      return ctx.user;
    },
  }),
  mergeAccount: t.withAuth({ signedIn: true }).field({
    type: UserType,
    description: "Joins the account that owns `address` into yours: its emails, badges and sign-in links move here and it is closed.",
    errors: { types: [InvalidCredentialsError, InvalidCodeError, RateLimitedError] },
    args: {
      address: t.arg.string(),
      password: t.arg.string({
        description: "The other account's password; may be empty for an account without one once confirmEmail proved the mailbox.",
      }),
      code: t.arg.string({ description: "A current code from the other account's authenticator app (ignored if it has none)." }),
    },
    resolve: (_r, args, ctx) => mergeAccount(ctx, ctx.user, args),
  }),
}));
