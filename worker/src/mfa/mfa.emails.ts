import { renderEmail } from "../email/layout";

const securityAction = (appUrl: string) => ({ label: "Review your account", url: `${appUrl}/account/security` });

export function mfaEnabledEmail(to: string, appUrl: string, firstName: string) {
  return renderEmail(to, {
    subject: "Two-step sign-in is on for your Laurel account",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      "An authenticator app was set up for your Laurel account. From now on, signing in asks for a code from that app.",
      "Keep your recovery code somewhere safe: it is the way in if you lose your phone.",
    ],
    action: securityAction(appUrl),
    footer: "If this was not you, reset your password now and contact support.",
  });
}

export function authenticatorReplacedEmail(to: string, appUrl: string, firstName: string) {
  return renderEmail(to, {
    subject: "Your Laurel authenticator app was replaced",
    greeting: `Hello ${firstName},`,
    paragraphs: ["The authenticator app of your Laurel account was replaced. Codes from the previous app no longer work."],
    action: securityAction(appUrl),
    footer: "If this was not you, reset your password now and contact support.",
  });
}

export function recoveryCodeUsedEmail(to: string, appUrl: string, firstName: string) {
  return renderEmail(to, {
    subject: "Your Laurel recovery code was used",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      "Someone signed in to your Laurel account with your recovery code. That code no longer works; a new one was shown at sign-in.",
      "If you lost the phone with your authenticator app, replace the authenticator in your account's security settings.",
    ],
    action: securityAction(appUrl),
    footer: "If this was not you, reset your password now and contact support.",
  });
}

export function mfaLockedEmail(to: string, appUrl: string, firstName: string, minutes: number) {
  return renderEmail(to, {
    subject: "Two-step sign-in to your Laurel account is paused",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      `There were too many wrong authenticator or recovery codes for your account, so we paused code entry for ${minutes} minutes.`,
      "Whoever tried already knew your password. If it was not you, reset your password now.",
    ],
    action: { label: "Reset password", url: `${appUrl}/forgot-password` },
  });
}

export function mfaResetEmail(to: string, appUrl: string, firstName: string) {
  return renderEmail(to, {
    subject: "The two-step sign-in of your Laurel account was reset",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      "Laurel support removed the authenticator app and recovery code from your account, and signed out every device. The next time you sign in, you will set up an authenticator app again.",
    ],
    action: { label: "Sign in", url: `${appUrl}/sign-in` },
    footer: "If you did not ask support for this, reset your password now and reply to this email.",
  });
}
