import { GraphQLError } from "graphql";
import { createYoga, type YogaServerInstance } from "graphql-yoga";
import type { AppContext } from "../context";
import type { Environment } from "../env";
import { reportError } from "../http/report-error";
import { limitPlugins, productionPlugins } from "./limits";
import { schema } from "./schema";

type Yoga = YogaServerInstance<{ app: AppContext }, AppContext>;

function createServer(environment: Environment): Yoga {
  return createYoga<{ app: AppContext }, AppContext>({
    schema,
    graphqlEndpoint: "/graphql",
    context: ({ app }) => app,
    landingPage: false,
    graphiql: false,
    // CORS is decided in http/cors.ts for every route; Yoga's default would echo any Origin.
    cors: false,
    // One operation per request: a batch would multiply every limit below by its length.
    batching: false,
    // Yoga's default is 25 MB; a bulk-award CSV of 10,000 rows is the largest thing anyone sends.
    maxRequestBodySize: 10 * 1024 * 1024,
    plugins: [...limitPlugins(), ...(environment === "production" ? productionPlugins() : [])],
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
}

// Validation results are cached per server, so production's extra rules get a server of their own.
const servers = new Map<Environment, Yoga>();

/** The GraphQL server for the request's environment (production refuses introspection). */
export function graphqlServer(environment: Environment): Yoga {
  let server = servers.get(environment);
  if (!server) {
    server = createServer(environment);
    servers.set(environment, server);
  }
  return server;
}
