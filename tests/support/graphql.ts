import type { ResultOf, TadaDocumentNode, VariablesOf } from "gql.tada";
import { print } from "graphql";
import { baseUrl } from "./browser";

// The SPA's own tag, so the helpers' documents are typed from the same schema introspection.
export { ErrorFields, graphql } from "../../web/src/lib/gql";

export type AnyDocument = TadaDocumentNode<any, any>;
export type Variables<D extends AnyDocument> = VariablesOf<D>;
export type Result<D extends AnyDocument> = ResultOf<D>;

/** The request body for a document: the GraphQL over HTTP `query` and `variables`. */
export const operation = (document: AnyDocument | string, variables: Record<string, unknown>) => ({
  query: typeof document === "string" ? document : print(document),
  variables,
});

/** One anonymous GraphQL request, as a browser that is not signed in sends it. */
export async function anonymousGql<D extends AnyDocument>(document: D, variables: VariablesOf<D>): Promise<ResultOf<D>> {
  const response = await fetch(`${baseUrl()}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-laurel-csrf": "1" },
    body: JSON.stringify(operation(document, variables)),
  });
  const json = (await response.json()) as { data?: ResultOf<D>; errors?: unknown };
  if (json.errors || !json.data) throw new Error(`GraphQL errors: ${JSON.stringify(json.errors)}`);
  return json.data;
}
