import { builder } from "../graphql/builder";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { getSsoProvider, type SsoProviderConfig } from "./providers";
import { mySsoIdentities, unlinkIdentity } from "./sso.service";
import type { SsoIdentity } from "./sso.table";

const SsoProviderType = builder.objectRef<Pick<SsoProviderConfig, "name" | "label">>("SsoProvider").implement({
  description: 'An identity provider for "Continue with …". Start at `/auth/sso/<name>/start?purpose=sign-in|link&returnTo=/path`.',
  fields: (t) => ({
    name: t.exposeString("name"),
    label: t.exposeString("label"),
  }),
});

export const SsoIdentityType = builder.objectRef<SsoIdentity>("SsoIdentity").implement({
  description: "An account at an identity provider that signs in to this account.",
  fields: (t) => ({
    id: t.exposeID("id"),
    provider: t.exposeString("provider", { description: "The provider's name (see `ssoProviders`)." }),
    providerLabel: t.string({
      resolve: (i, _args, ctx) => getSsoProvider(ctx.config, i.provider)?.label ?? i.provider,
    }),
    email: t.exposeString("email", { nullable: true, description: "The address the provider reported at the last sign-in." }),
    createdAt: t.field({ type: "DateTime", resolve: (i) => i.createdAt }),
    lastUsedAt: t.field({ type: "DateTime", resolve: (i) => i.lastUsedAt }),
  }),
});

builder.queryField("ssoProviders", (t) =>
  t.field({
    type: [SsoProviderType],
    resolve: (_root, _args, ctx) => ctx.config.sso.providers.map(({ name, label }) => ({ name, label })),
  }),
);

builder.queryField("mySsoIdentities", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: [SsoIdentityType],
    resolve: (_root, _args, ctx) => mySsoIdentities(ctx, ctx.user),
  }),
);

const SsoIdentityUnlinked = builder.objectRef<{ id: string }>("SsoIdentityUnlinked").implement({
  fields: (t) => ({ id: t.exposeID("id") }),
});

builder.mutationField("unlinkSsoIdentity", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: SsoIdentityUnlinked,
    description: "Refused (ForbiddenError) when it would leave the account with no way to sign in.",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { id: t.arg.id() },
    resolve: async (_root, { id }, ctx) => {
      const deleted = await unlinkIdentity(ctx, ctx.user, String(id));
      return { id: deleted.id };
    },
  }),
);
