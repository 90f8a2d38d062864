import { env } from "cloudflare:workers";
import { newAccountInserts } from "../src/accounts/new-account";
import { hashPassword } from "../src/accounts/password";
import { createDb } from "../src/database";
import { SESSION_COOKIE } from "../src/http/cookies";
import { createSession } from "../src/sessions/sessions.service";
import type { TestClient } from "./client";
import { uniqueEmail } from "./client";

export const db = () => createDb(env.DB);

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

/**
 * Inserts an active account directly, for tests about something other than registration.
 * Tests of sign-up and sign-in go through the real mutations instead.
 */
export async function createUser(
  options: { email?: string; password?: string; role?: "learner" | "staff"; firstName?: string } = {},
): Promise<TestUser> {
  const email = options.email ?? uniqueEmail();
  const password = options.password ?? "correct horse battery staple";
  const now = Date.now();
  const { userId: id, statements } = newAccountInserts(
    db(),
    {
      firstName: options.firstName ?? "Test",
      lastName: "User",
      email,
      role: options.role ?? "learner",
      passwordHash: await hashPassword(password),
      termsVersion: "test",
      termsAcceptedAt: now,
    },
    now - 1000,
  );
  await db().batch([...statements]);
  return { id, email, password };
}

/** Gives the client a full session for the user, as if every sign-in factor had passed. */
export async function signInAs(client: TestClient, user: { id: string }): Promise<void> {
  const { token } = await createSession({ kv: env.KV }, { userId: user.id, userAgent: "vitest", ip: client.ip }, Date.now());
  client.cookies.set(SESSION_COOKIE, token);
}
