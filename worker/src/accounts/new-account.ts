import type { Db } from "../database";
import { newId } from "../lib/ids";
import { emails, users } from "./accounts.table";

export interface NewAccount {
  firstName: string;
  lastName: string;
  /** A verified, normalized address: it becomes the primary email. */
  email: string;
  passwordHash: string | null;
  role?: "learner" | "staff";
  termsVersion: string;
  termsAcceptedAt: number;
}

/**
 * The inserts that create an account and its primary email, unexecuted, so every way in
 * (registration, SSO, the demo seed) puts them in one batch with its audit entry.
 */
export function newAccountInserts(db: Db, account: NewAccount, now: number) {
  const userId = newId();
  const statements = [
    db.insert(users).values({
      id: userId,
      firstName: account.firstName,
      lastName: account.lastName,
      role: account.role ?? "learner",
      passwordHash: account.passwordHash,
      termsVersion: account.termsVersion,
      termsAcceptedAt: new Date(account.termsAcceptedAt),
      credentialsChangedAt: new Date(now),
      createdAt: new Date(now),
      updatedAt: new Date(now),
    }),
    db
      .insert(emails)
      .values({ id: newId(), userId, address: account.email, isPrimary: true, verifiedAt: new Date(now), createdAt: new Date(now) }),
  ] as const;
  return { userId, statements };
}
