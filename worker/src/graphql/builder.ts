import SchemaBuilder from "@pothos/core";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import ErrorsPlugin from "@pothos/plugin-errors";
import ScopeAuthPlugin, { type AuthFailure, AuthScopeFailureType } from "@pothos/plugin-scope-auth";
import { GraphQLError } from "graphql";
import type { AppContext, SignedInContext } from "../context";
import { ValidationError } from "../lib/errors";
import type { ApiScope } from "./api-scopes";

/** The `actor` scope a refused field asked for, if it named one. */
function neededScope(failure: AuthFailure): string | null {
  if (failure.kind === AuthScopeFailureType.AuthScope) return failure.scope === "actor" ? String(failure.parameter) : null;
  if ("failures" in failure) for (const inner of failure.failures) if (neededScope(inner)) return neededScope(inner);
  return null;
}

/** A bearer caller's refusal: the scope it lacks, or that this field is for browser sessions only. */
export function insufficientScope(scope: string | null): GraphQLError {
  return new GraphQLError(
    scope ? `This API token lacks the ${scope} scope.` : "API tokens cannot use this field: it needs a signed-in browser session.",
    { extensions: { code: "INSUFFICIENT_SCOPE", ...(scope ? { scope } : {}) } },
  );
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// The builder only wires plugins; every type lives beside its domain (`*.graphql.ts`).
export const builder = new SchemaBuilder<{
  Context: AppContext;
  // signedIn and staff: a browser session. actor: a session, or an API token with that scope.
  AuthScopes: { signedIn: boolean; staff: boolean; actor: ApiScope };
  // `t.withAuth({ signedIn: true })` narrows the resolver's context to a known user: no resolver needs a non-null assertion.
  AuthContexts: { signedIn: SignedInContext; staff: SignedInContext; actor: SignedInContext };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  Scalars: { DateTime: { Input: Date; Output: Date | number }; File: { Input: File; Output: never } };
}>({
  // Dataloader: nested fields load their parents' relations in one query per level, not per row.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    // A token reaches only the fields that name one of its scopes: every other signed-in
    // field refuses it, so a new field is closed to machines until it says otherwise.
    authScopes: (ctx) => ({
      signedIn: ctx.user !== null && ctx.apiToken === null,
      staff: ctx.user?.role === "staff" && ctx.apiToken === null,
      actor: (scope) => ctx.user !== null && (ctx.apiToken === null || ctx.apiToken.scopes.has(scope)),
    }),
    unauthorizedError: (_parent, context, _info, result) => {
      if (context.apiToken) return insufficientScope(neededScope(result.failure));
      return context.user
        ? new GraphQLError("You do not have access to this.", { extensions: { code: "FORBIDDEN" } })
        : new GraphQLError("Sign in to continue.", { extensions: { code: "UNAUTHENTICATED" } });
    },
  },
  errors: {
    defaultTypes: [ValidationError],
    directResult: true,
    defaultUnionOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Result` },
    defaultResultOptions: { name: ({ fieldName }) => `${capitalize(fieldName)}Success` },
  },
});

builder.queryType({});
builder.mutationType({});
