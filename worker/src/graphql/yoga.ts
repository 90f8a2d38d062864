import { GraphQLError } from "graphql";
import { createYoga } from "graphql-yoga";
import type { AppContext } from "../context";
import { reportError } from "../http/report-error";
import { schema } from "./schema";

export const yoga = createYoga<{ app: AppContext }, AppContext>({
  schema,
  graphqlEndpoint: "/graphql",
  context: ({ app }) => app,
  landingPage: false,
  // GET would let a cross-site <img> run queries; our CSRF header rule covers POST.
  graphiql: false,
  maskedErrors: {
    maskError(error, message) {
      const original = error instanceof GraphQLError ? error.originalError : error;
      // GraphQLErrors are deliberate (auth scopes, malformed queries) and reach the client as they are.
      if (error instanceof GraphQLError && (!original || original instanceof GraphQLError)) return error;
      reportError(original ?? error, "graphql");
      return new GraphQLError(message, { extensions: { code: "INTERNAL_SERVER_ERROR" } });
    },
  },
});
