import { Client, fetchExchange } from "@urql/core";
import type { TadaDocumentNode } from "gql.tada";
import type { introspection } from "../graphql-env";
import type { ResultOf, VariablesOf } from "./gql";

// One client for the SPA. Every request carries the CSRF header the Worker requires.
export const client = new Client({
  url: "/graphql",
  exchanges: [fetchExchange],
  requestPolicy: "network-only",
  fetchOptions: () => ({ credentials: "same-origin", headers: { "x-laurel-csrf": "1" } }),
});

/** The names of the types that implement `Error`: the failure members of every result union. */
type ErrorTypename = introspection["types"]["Error"]["possibleTypes"];
// `mutate` tells failures apart at run time by this suffix; a type named otherwise breaks the build here.
type EndsWithError<T extends `${string}Error`> = T;
export type CheckedErrorTypename = EndsWithError<ErrorTypename>;

/** The failure members of a result union, and the rest. */
export type Failure<U> = Extract<U, { __typename: ErrorTypename }>;
export type Success<U> = Exclude<U, { __typename: ErrorTypename }>;

/**
 * What a form needs from a result union: the success member, or messages to show. `error` is
 * the typed failure member to narrow on (`error?.__typename`), or null when the request itself
 * failed (network, or an unexpected error the API masked).
 */
export type Outcome<T, E = never> =
  | { ok: true; data: T }
  | { ok: false; error: E | null; message: string; fieldErrors: Record<string, string> };

type AnyDocument = TadaDocumentNode<any, any>;
/** The value of an operation's single root field (of each, for a union of documents). */
type RootValue<D extends AnyDocument> = D extends AnyDocument ? ResultOf<D>[keyof ResultOf<D>] : never;
/** Variables may be left out when the operation has no required ones. */
type VariablesArg<D extends AnyDocument> =
  Record<string, never> extends VariablesOf<D> ? [variables?: VariablesOf<D>] : [variables: VariablesOf<D>];

interface ErrorMember {
  __typename: ErrorTypename;
  message: string;
  fieldErrors?: { field: string; message: string }[];
}
const isError = (value: unknown): value is ErrorMember =>
  typeof value === "object" && value !== null && String((value as { __typename?: unknown }).__typename).endsWith("Error");

const UNREACHABLE = "Something went wrong. Check your connection and try again.";

/**
 * Runs a mutation whose single root field returns a result union (or a plain value). Typed
 * failures come back as an Outcome; a transport or unexpected error becomes a generic message.
 */
export async function mutate<D extends AnyDocument>(
  document: D,
  ...[variables]: VariablesArg<D>
): Promise<Outcome<Success<RootValue<D>>, Failure<RootValue<D>>>> {
  const result = await client.mutation(document, variables ?? {}).toPromise();
  if (result.error || !result.data) {
    return { ok: false, error: null, message: result.error?.graphQLErrors[0]?.message ?? UNREACHABLE, fieldErrors: {} };
  }
  const value = Object.values(result.data as Record<string, unknown>)[0];
  if (isError(value)) {
    const fieldErrors = Object.fromEntries((value.fieldErrors ?? []).map((f) => [f.field, f.message]));
    return { ok: false, error: value as Failure<RootValue<D>>, message: value.message, fieldErrors };
  }
  return { ok: true, data: value as Success<RootValue<D>> };
}

/** Runs a query; any error throws, for the resource that asked to show. */
export async function query<D extends AnyDocument>(document: D, ...[variables]: VariablesArg<D>): Promise<ResultOf<D>> {
  const result = await client.query(document, variables ?? {}).toPromise();
  if (result.error || !result.data) throw new Error(result.error?.graphQLErrors[0]?.message ?? result.error?.message ?? UNREACHABLE);
  return result.data as ResultOf<D>;
}
