import { Client, fetchExchange } from "@urql/core";

// One client for the SPA. Every request carries the CSRF header the Worker requires.
export const client = new Client({
  url: "/graphql",
  exchanges: [fetchExchange],
  requestPolicy: "network-only",
  fetchOptions: () => ({ credentials: "same-origin", headers: { "x-laurel-csrf": "1" } }),
});

export interface FieldError {
  field: string;
  message: string;
}

/** What a form needs from a union result: the success object, or messages to show. */
export type Outcome<T> =
  | { ok: true; data: T }
  /** `error` is the typed error object itself, for errors that carry more than a message. */
  | { ok: false; typename: string; message: string; fieldErrors: Record<string, string>; error?: Record<string, unknown> };

// Every result union has ValidationError and Error members; RateLimitedError's message already says when to retry.
const ERROR_FIELDS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";

/** Appends the shared error selection to a union field's selection set. */
export const withErrors = (selection: string) => `${selection} ${ERROR_FIELDS}`;

/**
 * Runs a mutation whose single root field returns a result union. Typed failures come back
 * as an Outcome; a transport or unexpected error becomes a generic message.
 */
export async function mutate<T>(document: string, variables: Record<string, unknown> = {}): Promise<Outcome<T>> {
  const result = await client.mutation(document, variables).toPromise();
  if (result.error || !result.data) {
    const message = result.error?.graphQLErrors[0]?.message ?? "Something went wrong. Check your connection and try again.";
    return { ok: false, typename: "Error", message, fieldErrors: {} };
  }
  const value = Object.values(result.data)[0] as {
    __typename: string;
    message?: string;
    fieldErrors?: FieldError[];
  };
  if (value && typeof value === "object" && "message" in value && value.__typename.endsWith("Error")) {
    const fieldErrors = Object.fromEntries((value.fieldErrors ?? []).map((f) => [f.field, f.message]));
    return { ok: false, typename: value.__typename, message: value.message ?? "", fieldErrors, error: value };
  }
  return { ok: true, data: value as T };
}

export async function query<T>(document: string, variables: Record<string, unknown> = {}): Promise<T> {
  const result = await client.query(document, variables).toPromise();
  if (result.error) throw new Error(result.error.graphQLErrors[0]?.message ?? result.error.message);
  return result.data as T;
}
