import { renderEmail } from "../email/layout";

export function activationEmail(to: string, appUrl: string, firstName: string, code: string) {
  return renderEmail(to, {
    subject: "Activate your Laurel account",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      "Thank you for registering with Laurel. Enter this verification code on the “Thank you for registering” page to activate your account. It works for 10 minutes.",
    ],
    code,
    action: { label: "Open the activation page", url: `${appUrl}/register/verify?email=${encodeURIComponent(to)}` },
    footer: "If you did not register, you can ignore this email: nothing happens without the code.",
  });
}

export function reconnectEmail(to: string, appUrl: string, firstName: string, code: string) {
  return renderEmail(to, {
    subject: "Reconnect to your Laurel account",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      "Someone registered again with this email address, which already has a Laurel account. If it was you, enter this code: it connects you back to your existing account, keeps your badges and sets the password you just chose. It works for 10 minutes.",
    ],
    code,
    action: { label: "Open the activation page", url: `${appUrl}/register/verify?email=${encodeURIComponent(to)}` },
    footer: "If this was not you, ignore this email: your account and password stay as they are.",
  });
}

export function passwordResetEmail(to: string, appUrl: string, firstName: string, code: string) {
  const link = `${appUrl}/reset-password?email=${encodeURIComponent(to)}&code=${code}`;
  return renderEmail(to, {
    subject: "Reset your Laurel password",
    greeting: `Hello ${firstName},`,
    paragraphs: ["We received a request to reset your password. Use this code, or the button below, within 10 minutes."],
    code,
    action: { label: "Choose a new password", url: link },
    footer: "If you did not ask for this, ignore this email: your password stays as it is.",
  });
}

export function noAccountResetEmail(to: string, appUrl: string) {
  return renderEmail(to, {
    subject: "Reset your Laurel password",
    greeting: "Hello,",
    paragraphs: [
      "We received a request to reset the password of a Laurel account with this email address, but no account uses it. If you received a badge at this address, register with it to see your badges.",
    ],
    action: { label: "Register", url: `${appUrl}/register?email=${encodeURIComponent(to)}` },
    footer: "If you did not ask for this, you can ignore this email.",
  });
}

export function passwordChangedEmail(to: string, appUrl: string, firstName: string) {
  return renderEmail(to, {
    subject: "Your Laurel password was changed",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      "The password of your Laurel account was just changed, and every other signed-in device was signed out.",
      "If this was not you, reset your password now and contact support.",
    ],
    action: { label: "Reset password", url: `${appUrl}/forgot-password` },
  });
}

export function accountLockedEmail(to: string, appUrl: string, firstName: string, minutes: number) {
  return renderEmail(to, {
    subject: "Sign-in to your Laurel account is paused",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      `There were too many unsuccessful attempts to sign in to your account, so we paused password sign-in for ${minutes} minutes.`,
      "If these attempts were not yours, your password held. You may still want to change it to one you use nowhere else.",
    ],
    action: { label: "Reset password", url: `${appUrl}/forgot-password` },
  });
}

export function addEmailCodeEmail(to: string, appUrl: string, firstName: string, code: string) {
  return renderEmail(to, {
    subject: "Add this address to your Laurel account",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      "Enter this code in Laurel to add this address to your account. Badges awarded to it will then appear in your backpack. It works for 10 minutes.",
      "Tip: keep a personal address on your account too. Schools and employers often close addresses when you leave, and your badges should not go with them.",
    ],
    code,
    action: { label: "Open your account", url: `${appUrl}/account` },
    footer: "If you did not ask for this, ignore this email: nothing changes without the code.",
  });
}

export function accountsMergedEmail(to: string, appUrl: string, firstName: string, mergedAddress: string, survivorAddress: string) {
  return renderEmail(to, {
    subject: "Two Laurel accounts were joined",
    greeting: `Hello ${firstName},`,
    paragraphs: [
      `The Laurel account of ${mergedAddress} was joined into the account of ${survivorAddress}. Its email addresses, badges and sign-in links now belong to that account; the other account is closed.`,
      `Sign in as ${survivorAddress} from now on.`,
    ],
    action: { label: "Sign in", url: `${appUrl}/sign-in` },
    footer: "If you did not do this, reset your password now and contact support.",
  });
}
