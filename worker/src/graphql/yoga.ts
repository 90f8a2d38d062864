import { GraphQLError } from "graphql";
import { createYoga, type Plugin, type YogaServerInstance } from "graphql-yoga";
import type { AppContext } from "../context";
import type { Environment } from "../env";
import { reportError } from "../http/report-error";
import { limitPlugins, productionPlugins } from "./limits";
import { schema } from "./schema";

type Yoga = YogaServerInstance<{ app: AppContext }, AppContext>;

/**
 * Yoga parses a GET's `variables` and `extensions` with a bare JSON.parse, so a malformed one
 * surfaced as a masked internal error; it is the client's mistake and gets a 400 saying so.
 */
const malformedParams: Plugin = {
  onRequestParse({ requestParser, setRequestParser }) {
    if (!requestParser) return;
    setRequestParser(async (request) => {
      try {
        return await requestParser(request);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        throw new GraphQLError("The request's variables or extensions are not valid JSON.", {
          extensions: { code: "BAD_REQUEST", http: { status: 400 } },
        });
      }
    });
  },
};

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
    plugins: [malformedParams, ...limitPlugins(), ...(environment === "production" ? productionPlugins() : [])],
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
