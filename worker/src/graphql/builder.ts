import SchemaBuilder from "@pothos/core";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import ErrorsPlugin from "@pothos/plugin-errors";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import { GraphQLError } from "graphql";
import type { AppContext, SignedInContext } from "../context";
import { ValidationError } from "../lib/errors";

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

// The builder only wires plugins; every type lives beside its domain (`*.graphql.ts`).
export const builder = new SchemaBuilder<{
  Context: AppContext;
  AuthScopes: { signedIn: boolean; staff: boolean };
  // `t.withAuth({ signedIn: true })` narrows the resolver's context to a known user: no resolver needs a non-null assertion.
  AuthContexts: { signedIn: SignedInContext; staff: SignedInContext };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  Scalars: { DateTime: { Input: Date; Output: Date | number }; File: { Input: File; Output: never } };
}>({
  // Dataloader: nested fields load their parents' relations in one query per level, not per row.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
  scopeAuth: {
    authScopes: (ctx) => ({ signedIn: ctx.user !== null, staff: ctx.user?.role === "staff" }),
    unauthorizedError: (_parent, context) =>
      context.user
        ? new GraphQLError("You do not have access to this.", { extensions: { code: "FORBIDDEN" } })
        : new GraphQLError("Sign in to continue.", { extensions: { code: "UNAUTHENTICATED" } }),
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
