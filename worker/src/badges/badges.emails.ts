import { renderEmail } from "../email/layout";

export function badgeAwardedEmail(
  to: string,
  input: { badgeName: string; issuerName: string; recipientName: string | null; actionUrl: string; hasAccount: boolean },
) {
  return renderEmail(to, {
    subject: `You earned the "${input.badgeName}" badge from ${input.issuerName}`,
    greeting: input.recipientName ? `Hello ${input.recipientName},` : "Hello,",
    paragraphs: [
      `${input.issuerName} awarded you the "${input.badgeName}" badge on Laurel.`,
      input.hasAccount
        ? "Sign in to see it in your backpack, accept it and share it."
        : `Create your free Laurel account with this email address (${to}) to keep the badge, accept it and share it. If you already have a Laurel account with another address, add this address to it under Account › Emails.`,
    ],
    action: { label: input.hasAccount ? "See your badge" : "Claim your badge", url: input.actionUrl },
    footer: "You received this email because an issuer awarded a badge to this address.",
  });
}

export function badgeRevokedEmail(to: string, input: { badgeName: string; issuerName: string; reason: string; appUrl: string }) {
  return renderEmail(to, {
    subject: `Your "${input.badgeName}" badge was revoked`,
    greeting: "Hello,",
    paragraphs: [
      `${input.issuerName} revoked the "${input.badgeName}" badge awarded to this address. It no longer appears in your backpack, and anyone verifying it is told it was revoked.`,
      `The reason given: ${input.reason}`,
      `Questions about this decision go to ${input.issuerName}.`,
    ],
    action: { label: "Open your backpack", url: `${input.appUrl}/backpack` },
  });
}

export function issuerInvitationEmail(
  to: string,
  input: { issuerName: string; inviterName: string; role: string; url: string; days: number },
) {
  // The same words whether or not the address has an account: the inviter learns nothing from it.
  return renderEmail(to, {
    subject: `You are invited to ${input.issuerName} on Laurel`,
    greeting: "Hello,",
    paragraphs: [
      `${input.inviterName} invited ${to} to join ${input.issuerName} on Laurel as an ${input.role}.`,
      `Open the invitation to accept or decline it. You accept it signed in to a Laurel account that has ${to} as a verified email; if you have no account yet, you can create one from the invitation. The link works once, for ${input.days} days.`,
    ],
    action: { label: "Open the invitation", url: input.url },
    footer: "You received this email because an issuer's owner invited this address. If you did not expect it, ignore it or decline.",
  });
}
