import type { Problems } from "./errors";

// One rule for every address Laurel takes (accounts, sign-in, members, recipients).
// Deliberately plain: one @, no spaces, a dot in the domain. The emailed code is the real check.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_EMAIL_LENGTH = 254;

/** The form addresses are stored and compared in. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Whether a normalised address is well-formed. */
export function isEmailAddress(email: string): boolean {
  return email.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(email);
}

export function checkEmail(problems: Problems, field: string, raw: string): string {
  const email = normalizeEmail(raw);
  if (!email) problems.add(field, "Enter your email address.");
  else if (!isEmailAddress(email)) problems.add(field, "Enter a valid email address, like name@example.com.");
  return email;
}
