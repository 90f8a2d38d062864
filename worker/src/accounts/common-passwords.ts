import { dictionary } from "@zxcvbn-ts/language-common";

// zxcvbn-ts ships the ~49,000 most common passwords from breach corpora, ranked by
// frequency. We refuse all of them (well over the top 10,000), compared case-insensitively.
const common = new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));

export function isCommonPassword(password: string): boolean {
  return common.has(password.toLowerCase());
}

export const COMMON_PASSWORD_COUNT = common.size;
