import { createResource } from "solid-js";
import { graphql } from "./gql";
import { query } from "./graphql";

const PROVIDERS = graphql(`query SsoProviders { ssoProviders { name label } }`);

// The configured providers rarely change; one fetch per page load is plenty.
const [providers] = createResource(async () => (await query(PROVIDERS)).ssoProviders);
export const ssoProviders = providers;

/** A full-page navigation: the provider's pages are not part of the SPA. */
export const ssoStartUrl = (provider: string, purpose: "sign-in" | "link", returnTo: string) =>
  `/auth/sso/${encodeURIComponent(provider)}/start?purpose=${purpose}&returnTo=${encodeURIComponent(returnTo)}`;

/** What each `?ssoError=` code from the callback means to the person. */
export const SSO_ERRORS: Record<string, string> = {
  denied: "You cancelled signing in with the provider. Try again, or use your email and password.",
  expired: "That sign-in took too long or was already used. Please try again.",
  invalid: "The provider's answer could not be verified, so we did not sign you in. Please try again.",
  unavailable: "The sign-in provider is not answering right now. Try again later, or use your email and password.",
  "unknown-provider": "That sign-in provider is not available.",
  "sign-in-required": "Sign in first, then link the provider from Account › Security.",
  "unverified-email":
    "The provider has not verified your email address, so we cannot create an account from it. Register with your email and password instead.",
  "link-with-password":
    "A Laurel account already uses that email. Sign in with its password, then link the provider from Account › Security.",
  "identity-taken": "That provider account is already linked to another Laurel account.",
};
