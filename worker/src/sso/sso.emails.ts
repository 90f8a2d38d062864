import { renderEmail } from "../email/layout";

/**
 * To the owner of an account that an identity provider's account was just linked to because
 * it vouched for one of the account's addresses: a takeover by a provider account someone else
 * controls (a recycled work address, a compromised provider) must not go unnoticed.
 */
export function identityLinkedByEmailEmail(to: string, appUrl: string, firstName: string, providerLabel: string, address: string) {
  return renderEmail(to, {
    subject: `${providerLabel} can now sign in to your Laurel account`,
    greeting: `Hello ${firstName},`,
    paragraphs: [
      `Someone chose "Continue with ${providerLabel}" with ${address}, an address of your Laurel account that ${providerLabel} has verified, so that ${providerLabel} account was linked to yours. From now on it signs in to your account (with your authenticator code, if you set one up).`,
      `If this was not you, remove ${providerLabel} from your account's sign-in methods and reset your password.`,
    ],
    action: { label: "Review your sign-in methods", url: `${appUrl}/account/security` },
    footer: "We email you whenever a new way to sign in is added to your account.",
  });
}
