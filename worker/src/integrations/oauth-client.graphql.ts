import { IssuerType, issuerOnly } from "../badges/issuer.graphql";
import { builder } from "../graphql/builder";
import { ForbiddenError, InvalidCodeError, NotFoundError, RateLimitedError } from "../lib/errors";
import { createOAuthClient, deleteOAuthClient, listIssuerOAuthClients, listPersonalOAuthClients } from "./oauth-clients.service";
import type { OAuthClient } from "./oauth-clients.table";

// OAuth clients are managed from a browser session only, like API tokens.

export const OAuthClientType = builder.objectRef<OAuthClient>("OAuthClient").implement({
  description: "A client of the token endpoint (OAuth 2.0 client credentials). Its secret is shown once, when it is registered.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "The client_id." }),
    name: t.exposeString("name"),
    scopes: t.exposeStringList("scopes", { description: "The most an access token of this client may have." }),
    secretHint: t.exposeString("secretHint", { description: "The secret's prefix and last four characters." }),
    issuer: t.field({ type: IssuerType, nullable: true, resolve: (client) => client.issuerId }),
    createdAt: t.field({ type: "DateTime", resolve: (client) => client.createdAt }),
    deletedAt: t.field({ type: "DateTime", nullable: true, resolve: (client) => client.deletedAt }),
    lastTokenAt: t.field({
      type: "DateTime",
      nullable: true,
      description: "When it last got an access token.",
      resolve: (c) => c.lastTokenAt,
    }),
    lastTokenIp: t.exposeString("lastTokenIp", { nullable: true }),
  }),
});

const OAuthClientCreated = builder.objectRef<{ clientSecret: string; client: OAuthClient }>("OAuthClientCreated").implement({
  fields: (t) => ({
    clientId: t.string({ resolve: (created) => created.client.id }),
    clientSecret: t.exposeString("clientSecret", {
      description: "The secret: copy it now, Laurel keeps only its hash and cannot show it again.",
    }),
    client: t.field({ type: OAuthClientType, resolve: (created) => created.client }),
  }),
});

const OAuthClientInput = builder.inputType("OAuthClientInput", {
  fields: (t) => ({
    issuerId: t.id({ required: false, description: "The issuer its tokens act for; leave out for your own backpack (backpack:read)." }),
    name: t.string({ description: "Which system uses it, e.g. “HR system”." }),
    scopes: t.stringList(),
    code: t.string({ description: "A current code from your authenticator app." }),
  }),
});

builder.queryFields((t) => ({
  myOAuthClients: t.withAuth({ signedIn: true }).field({
    type: [OAuthClientType],
    description: "Your personal OAuth clients.",
    resolve: (_r, _a, ctx) => listPersonalOAuthClients(ctx, ctx.user),
  }),
}));

builder.objectField(IssuerType, "oauthClients", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: [OAuthClientType],
    description: "Owners only.",
    ...issuerOnly("manage-integrations", "Only the issuer's owners see its OAuth clients."),
    resolve: (issuer, _a, ctx) => listIssuerOAuthClients(ctx, ctx.user, issuer.id),
  }),
);

builder.mutationFields((t) => ({
  createOAuthClient: t.withAuth({ signedIn: true }).field({
    type: OAuthClientCreated,
    description: "Registers a client (a step-up: it needs a current authenticator code). The answer is the only time its secret is shown.",
    errors: { types: [NotFoundError, ForbiddenError, InvalidCodeError, RateLimitedError] },
    args: { input: t.arg({ type: OAuthClientInput }) },
    resolve: (_r, { input }, ctx) =>
      createOAuthClient(ctx, ctx.user, {
        ...input,
        issuerId: input.issuerId === null || input.issuerId === undefined ? null : String(input.issuerId),
      }),
  }),
  deleteOAuthClient: t.withAuth({ signedIn: true }).field({
    type: OAuthClientType,
    description: "Deletes the client: it gets no new tokens, and the ones it has stop at once.",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => deleteOAuthClient(ctx, ctx.user, String(id)),
  }),
}));
