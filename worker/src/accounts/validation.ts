import type { Problems } from "../lib/errors";
import { isCommonPassword } from "./common-passwords";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

// Deliberately plain: one @, no spaces, a dot in the domain. The emailed code is the real check.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function checkEmail(problems: Problems, field: string, raw: string): string {
  const email = normalizeEmail(raw);
  if (!email) problems.add(field, "Enter your email address.");
  else if (email.length > 254 || !EMAIL_PATTERN.test(email)) problems.add(field, "Enter a valid email address, like name@example.com.");
  return email;
}

export function checkPassword(problems: Problems, field: string, password: string): void {
  if (password.length < PASSWORD_MIN) problems.add(field, `Use at least ${PASSWORD_MIN} characters.`);
  else if (password.length > PASSWORD_MAX) problems.add(field, `Use at most ${PASSWORD_MAX} characters.`);
  else if (isCommonPassword(password)) {
    problems.add(field, "This password is one of the most commonly used and easy to guess. Choose another.");
  }
}

export function checkName(problems: Problems, field: string, label: string, raw: string): string {
  const name = raw.trim();
  if (!name) problems.add(field, `Enter your ${label}.`);
  else if (name.length > 100) problems.add(field, `Your ${label} can be at most 100 characters.`);
  return name;
}

export function checkCode(problems: Problems, field: string, raw: string): string {
  const code = raw.replace(/\s|-/g, "");
  if (!/^\d{6}$/.test(code)) problems.add(field, "Enter the 6-digit code from the email.");
  return code;
}
