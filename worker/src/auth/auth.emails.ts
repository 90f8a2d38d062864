import { renderEmail } from "../email/layout";

export function signInPausedEmail(to: string, link: string, firstName: string, minutes: number) {
  return renderEmail(to, {
    subject: "Sign-in to your Laurel account is paused",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      `Someone tried many wrong passwords for your account from several places, so we paused sign-in with its password for ${minutes} minutes.`,
      "You can still sign in: on a device you asked us to remember, or with the button below, which lets your password through once in the next 30 minutes.",
      "If these attempts were not yours, your password held. You may still want to change it to one you use nowhere else.",
    ],
    action: { label: "Sign in with this link", url: link },
    footer: "The link works once, only with your password, and only for the next 30 minutes.",
  });
}

export function signInLinkEmail(to: string, link: string, firstName: string) {
  return renderEmail(to, {
    subject: "Your Laurel sign-in link",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      "Here is the sign-in link you asked for. It lets your password through once in the next 30 minutes, even while password sign-in to your account is paused.",
    ],
    action: { label: "Sign in with this link", url: link },
    footer: "If you did not ask for this, ignore this email: the link is no use without your password.",
  });
}

export function noAccountSignInLinkEmail(to: string, appUrl: string) {
  return renderEmail(to, {
    subject: "Your Laurel sign-in link",
    greeting: "Hello,",
    paragraphs: [
      "We received a request for a sign-in link for a Laurel account with this email address, but no account uses it. If you received a badge at this address, register with it to see your badges.",
    ],
    action: { label: "Register", url: `${appUrl}/register?email=${encodeURIComponent(to)}` },
    footer: "If you did not ask for this, you can ignore this email.",
  });
}
