import { initGraphQLTada } from "gql.tada";
import type { introspection } from "../graphql-env";

/**
 * Every GraphQL document is written with this tag: gql.tada types its variables and result
 * from the schema's introspection (src/graphql-env.d.ts). Fragments are plain reusable
 * selections here (no masking): components take the objects as the API returns them.
 */
export const graphql = initGraphQLTada<{
  introspection: introspection;
  scalars: { DateTime: string; File: File };
  disableMasking: true;
}>();

export type { FragmentOf, ResultOf, VariablesOf } from "gql.tada";

/**
 * The shared selection for the failure members of a result union. Every such member implements
 * `Error`; ValidationError also says which inputs are wrong. The union field itself must select
 * `__typename`, which is how results are narrowed.
 */
export const ErrorFields = graphql(`
  fragment ErrorFields on Error {
    message
    ... on ValidationError { fieldErrors { field message } }
  }
`);
