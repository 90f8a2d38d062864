import type { TestClient } from "./client";
import { codeIn, latestMailTo } from "./client";

// GraphQL documents and flows shared by the account tests.
export const REGISTER = `mutation ($firstName: String!, $lastName: String!, $email: String!, $password: String!, $acceptTerms: Boolean!) {
  register(firstName: $firstName, lastName: $lastName, email: $email, password: $password, acceptTerms: $acceptTerms) {
    __typename
    ... on CodeSent { email }
    ... on Error { message }
    ... on ValidationError { fieldErrors { field message } }
    ... on RateLimitedError { retryAfterSeconds }
  }
}`;

export const ACTIVATE = `mutation ($email: String!, $code: String!) {
  activateAccount(email: $email, code: $code) {
    __typename
    ... on AccountActivated { email reconnected }
    ... on Error { message }
    ... on InvalidCodeError { attemptsLeft }
    ... on ValidationError { fieldErrors { field message } }
  }
}`;

export const RESEND = `mutation ($email: String!) {
  resendActivationCode(email: $email) { __typename ... on Error { message } ... on RateLimitedError { retryAfterSeconds } }
}`;

export const SIGN_IN = `mutation ($email: String!, $password: String!) {
  signIn(email: $email, password: $password) {
    __typename
    ... on SignInStep { status userId pendingExpiresAt }
    ... on Error { message }
    ... on RateLimitedError { retryAfterSeconds }
    ... on ValidationError { fieldErrors { field message } }
  }
}`;

export const REQUEST_RESET = `mutation ($email: String!) {
  requestPasswordReset(email: $email) { __typename ... on CodeSent { email } ... on Error { message } }
}`;

export const RESET = `mutation ($email: String!, $code: String!, $password: String!) {
  resetPassword(email: $email, code: $code, password: $password) {
    __typename
    ... on Error { message }
    ... on ValidationError { fieldErrors { field message } }
  }
}`;

export const ME = "{ me { id firstName lastName primaryEmail emails { address isPrimary } } }";

export const STRONG_PASSWORD = "laurel leaves in autumn";

export function registration(email: string, overrides: Record<string, unknown> = {}) {
  return { firstName: "Ada", lastName: "Lovelace", email, password: STRONG_PASSWORD, acceptTerms: true, ...overrides };
}

/** Registers through the API and activates with the code from the dev outbox. */
export async function registerAndActivate(client: TestClient, email: string, password = STRONG_PASSWORD) {
  const registered = await client.gql(REGISTER, registration(email, { password }));
  if (registered.register.__typename !== "CodeSent") throw new Error(JSON.stringify(registered));
  const code = codeIn(await latestMailTo(email));
  const activated = await client.gql(ACTIVATE, { email, code });
  if (activated.activateAccount.__typename !== "AccountActivated") throw new Error(JSON.stringify(activated));
  return activated.activateAccount;
}
