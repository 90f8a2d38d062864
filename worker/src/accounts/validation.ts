import type { Problems } from "../lib/errors";
import { isCommonPassword } from "./common-passwords";

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

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
