import { IssuerType, issuerOnly } from "../badges/issuer.graphql";
import { API_SCOPES, ISSUER_SCOPES, SCOPE_DESCRIPTIONS } from "../graphql/api-scopes";
import { builder } from "../graphql/builder";
import { ForbiddenError, InvalidCodeError, NotFoundError, RateLimitedError } from "../lib/errors";
import { createApiToken, listIssuerApiTokens, listPersonalApiTokens, revokeApiToken } from "./api-tokens.service";
import type { ApiToken } from "./api-tokens.table";

// API tokens are managed from a browser session only: a token never makes or lists tokens.

const ApiTokenStatus = builder.enumType("ApiTokenStatus", { values: ["ACTIVE", "EXPIRED", "REVOKED"] as const });

export const ApiTokenType = builder.objectRef<ApiToken>("ApiToken").implement({
  description: "A machine's credential for the GraphQL API. Its secret is shown once, when it is created.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    scopes: t.exposeStringList("scopes"),
    hint: t.exposeString("hint", { description: "The prefix and last four characters, to tell tokens apart." }),
    issuer: t.field({ type: IssuerType, nullable: true, resolve: (token) => token.issuerId }),
    status: t.field({
      type: ApiTokenStatus,
      resolve: (token, _a, ctx) =>
        token.revokedAt ? "REVOKED" : token.expiresAt && token.expiresAt.getTime() <= ctx.now() ? "EXPIRED" : "ACTIVE",
    }),
    createdAt: t.field({ type: "DateTime", resolve: (token) => token.createdAt }),
    expiresAt: t.field({ type: "DateTime", nullable: true, resolve: (token) => token.expiresAt }),
    revokedAt: t.field({ type: "DateTime", nullable: true, resolve: (token) => token.revokedAt }),
    lastUsedAt: t.field({ type: "DateTime", nullable: true, resolve: (token) => token.lastUsedAt }),
    lastUsedIp: t.exposeString("lastUsedIp", { nullable: true }),
  }),
});

const ApiScopeInfo = builder.objectRef<{ name: string; description: string; forIssuer: boolean }>("ApiScopeInfo").implement({
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description"),
    forIssuer: t.exposeBoolean("forIssuer", { description: "True for an issuer's token, false for a personal one." }),
  }),
});

const ApiTokenCreated = builder.objectRef<{ token: string; apiToken: ApiToken }>("ApiTokenCreated").implement({
  fields: (t) => ({
    token: t.exposeString("token", { description: "The secret: copy it now, Laurel keeps only its hash and cannot show it again." }),
    apiToken: t.field({ type: ApiTokenType, resolve: (created) => created.apiToken }),
  }),
});

const ApiTokenInput = builder.inputType("ApiTokenInput", {
  fields: (t) => ({
    issuerId: t.id({ required: false, description: "The issuer it acts for; leave out for a personal token (backpack:read)." }),
    name: t.string({ description: "Where it is used, e.g. “Moodle course completions”." }),
    scopes: t.stringList(),
    expiresInDays: t.int({ required: false, description: "1 to 366; leave out for a token that works until revoked." }),
    code: t.string({ description: "A current code from your authenticator app." }),
  }),
});

builder.queryFields((t) => ({
  apiScopes: t.field({
    type: [ApiScopeInfo],
    description: "Every scope an API token can have.",
    resolve: () =>
      API_SCOPES.map((name) => ({
        name,
        description: SCOPE_DESCRIPTIONS[name],
        forIssuer: (ISSUER_SCOPES as readonly string[]).includes(name),
      })),
  }),
  myApiTokens: t.withAuth({ signedIn: true }).field({
    type: [ApiTokenType],
    description: "Your personal tokens.",
    resolve: (_r, _a, ctx) => listPersonalApiTokens(ctx, ctx.user),
  }),
}));

builder.objectField(IssuerType, "apiTokens", (t) =>
  t.withAuth({ signedIn: true }).field({
    type: [ApiTokenType],
    description: "Owners only.",
    ...issuerOnly("manage-integrations", "Only the issuer's owners see its API tokens."),
    resolve: (issuer, _a, ctx) => listIssuerApiTokens(ctx, ctx.user, issuer.id),
  }),
);

builder.mutationFields((t) => ({
  createApiToken: t.withAuth({ signedIn: true }).field({
    type: ApiTokenCreated,
    description: "Creates a token (a step-up: it needs a current authenticator code). The answer is the only time its secret is shown.",
    errors: { types: [NotFoundError, ForbiddenError, InvalidCodeError, RateLimitedError] },
    args: { input: t.arg({ type: ApiTokenInput }) },
    resolve: (_r, { input }, ctx) =>
      createApiToken(ctx, ctx.user, {
        ...input,
        issuerId: input.issuerId === null || input.issuerId === undefined ? null : String(input.issuerId),
      }),
  }),
  revokeApiToken: t.withAuth({ signedIn: true }).field({
    type: ApiTokenType,
    description: "Stops the token at once.",
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { id: t.arg.id() },
    resolve: (_r, { id }, ctx) => revokeApiToken(ctx, ctx.user, String(id)),
  }),
}));
