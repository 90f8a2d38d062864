import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import { GraphQLError } from "graphql";
import type { AppContext } from "../context";
import type { ApiScope } from "../graphql/api-scopes";
import { builder, insufficientScope } from "../graphql/builder";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { publicUrls } from "../lib/public-urls";
import {
  createIssuer,
  getIssuers,
  type IssuerAction,
  listMyIssuers,
  outsideToken,
  roleAllows,
  rolesOf,
  updateIssuer,
} from "./issuers.service";
import { ISSUER_ROLES, type Issuer, type IssuerRole } from "./issuers.table";

// An issuing organisation. Its badge classes, members and awards are added by their own files.

export const IssuerRoleEnum = builder.enumType("IssuerRole", {
  values: Object.fromEntries(ISSUER_ROLES.map((r) => [r.toUpperCase(), { value: r }])) as Record<
    "OWNER" | "EDITOR" | "AWARDER" | "ASSESSOR",
    { value: IssuerRole }
  >,
});

/** The signed-in user's role in each issuer a request names, one query per batch of issuers. */
const myRoles = createContextCache(
  (ctx: AppContext) =>
    new DataLoader<string, IssuerRole | null>(async (issuerIds) => {
      const roles = ctx.user ? await rolesOf(ctx, ctx.user.id, issuerIds) : new Map<string, IssuerRole>();
      return issuerIds.map((id) => (outsideToken(ctx, id) ? null : (roles.get(id) ?? null)));
    }),
);

export const myRoleIn = (ctx: AppContext, issuerId: string): Promise<IssuerRole | null> => myRoles(ctx).load(issuerId);

/**
 * Field options for what only some of an issuer's members may read. A query has no result
 * union, so a refusal is a GraphQL error with code FORBIDDEN (UNAUTHENTICATED when signed
 * out), never a service error that would be masked as unexpected.
 */
export function issuerOnly(action: IssuerAction, message: string, tokenScope: ApiScope | null = null) {
  const tokenMayRead = (ctx: AppContext) => ctx.apiToken === null || (tokenScope !== null && ctx.apiToken.scopes.has(tokenScope));
  return {
    authScopes: async (issuer: Issuer, _args: unknown, ctx: AppContext) =>
      ctx.user !== null && tokenMayRead(ctx) && roleAllows(await myRoleIn(ctx, issuer.id), action),
    unauthorizedError: (_parent: unknown, _args: unknown, ctx: AppContext) => {
      if (!tokenMayRead(ctx)) return insufficientScope(tokenScope);
      return ctx.user
        ? new GraphQLError(message, { extensions: { code: "FORBIDDEN" } })
        : new GraphQLError("Sign in to continue.", { extensions: { code: "UNAUTHENTICATED" } });
    },
  };
}

/** Loaded by id through the request's dataloader: fields returning an issuer may return its id. */
export const IssuerType = builder.loadableObjectRef("Issuer", {
  load: (ids: string[], ctx: AppContext) => getIssuers(ctx, ids),
  sort: (issuer) => issuer.id,
});

IssuerType.implement({
  description: "An organisation that awards badges.",
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    url: t.exposeString("url"),
    email: t.exposeString("email"),
    description: t.exposeString("description"),
    imageUrl: t.string({ nullable: true, resolve: (i, _a, ctx) => (i.imageKey ? publicUrls(ctx.config.appUrl).image(i.imageKey) : null) }),
    myRole: t.field({ type: IssuerRoleEnum, nullable: true, resolve: (i, _a, ctx) => (ctx.user ? myRoleIn(ctx, i.id) : null) }),
  }),
});

const IssuerInput = builder.inputType("IssuerInput", {
  fields: (t) => ({
    name: t.string(),
    url: t.string(),
    email: t.string(),
    description: t.string({ required: false }),
    image: t.field({ type: "File", required: false, description: "PNG or SVG, square, 90–2048 px, at most 512 KB." }),
  }),
});

builder.queryFields((t) => ({
  myIssuers: t.withAuth({ signedIn: true }).field({ type: [IssuerType], resolve: (_r, _a, ctx) => listMyIssuers(ctx, ctx.user) }),
  issuer: t.withAuth({ actor: "issuer:read" }).field({
    type: IssuerType,
    nullable: true,
    description: "An issuer you are a member of (API tokens: `issuer:read`, their own issuer only).",
    args: { id: t.arg.id() },
    resolve: async (_r, { id }, ctx) => ((await myRoleIn(ctx, String(id))) ? String(id) : null),
  }),
}));

builder.mutationFields((t) => ({
  createIssuer: t.withAuth({ signedIn: true }).field({
    type: IssuerType,
    description: "Creates an issuer; you become its owner.",
    errors: {},
    args: { input: t.arg({ type: IssuerInput }) },
    resolve: (_r, { input }, ctx) => createIssuer(ctx, ctx.user, input),
  }),
  updateIssuer: t.withAuth({ signedIn: true }).field({
    type: IssuerType,
    errors: { types: [NotFoundError, ForbiddenError] },
    args: { id: t.arg.id(), input: t.arg({ type: IssuerInput }) },
    resolve: (_r, { id, input }, ctx) => updateIssuer(ctx, ctx.user, String(id), input),
  }),
}));
