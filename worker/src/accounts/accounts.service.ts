import { and, eq } from "drizzle-orm";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { inBackground } from "../http/background";
import { checkEmail } from "../lib/email-address";
import { ForbiddenError, Problems } from "../lib/errors";
import { requireHuman } from "../lib/turnstile";
import { forgetAllDevices } from "../mfa/remembered-devices";
import { afterCommit } from "../outbox/enqueue";
import type { OutboxWrite } from "../outbox/intents";
import { revokeAllSessions } from "../sessions/sessions.service";
import { clearAttemptsStatement, clearAttemptsWithPrefixStatement } from "../throttling/guard";
import { passwordKeysOfAddress, secondFactorKey } from "../throttling/policies";
import { activationEmail, noAccountResetEmail, passwordChangedEmail, passwordResetEmail, reconnectEmail } from "./accounts.emails";
import { emails, type User, users } from "./accounts.table";
import { type CodeEmail, consumeCode, issueCode, reissueCode } from "./codes";
import { newAccountInserts } from "./new-account";
import { hashPassword } from "./password";
import { checkCode, checkName, checkPassword } from "./validation";

export async function getUserByEmail(ctx: Pick<AppContext, "db">, address: string): Promise<User | null> {
  const row = await ctx.db
    .select({ user: users })
    .from(emails)
    .innerJoin(users, eq(users.id, emails.userId))
    .where(and(eq(emails.address, address), eq(users.status, "active")))
    .get();
  return row?.user ?? null;
}

/**
 * The account holding a verified address, even a closed one. Only a merge closes an account,
 * and it moves the addresses in the same batch; an address still on a closed account is what
 * an earlier race left behind (two merges crossing), and proving its mailbox reopens that
 * account instead of failing on the taken address.
 */
export async function getAccountHolding(ctx: Pick<AppContext, "db">, address: string): Promise<User | null> {
  const row = await ctx.db
    .select({ user: users })
    .from(emails)
    .innerJoin(users, eq(users.id, emails.userId))
    .where(eq(emails.address, address))
    .get();
  return row?.user ?? null;
}

export async function getUserById(ctx: Pick<AppContext, "db">, id: string): Promise<User | null> {
  return (await ctx.db.query.users.findFirst({ where: eq(users.id, id) })) ?? null;
}

/** The user and their primary address in one D1 query: what every signed-in request needs. */
export async function getUserWithPrimaryEmail(
  ctx: Pick<AppContext, "db">,
  id: string,
): Promise<{ user: User; primaryEmail: string | null } | null> {
  const row = await ctx.db
    .select({ user: users, primaryEmail: emails.address })
    .from(users)
    .leftJoin(emails, and(eq(emails.userId, users.id), eq(emails.isPrimary, true)))
    .where(eq(users.id, id))
    .get();
  return row ?? null;
}

export async function getPrimaryEmail(ctx: Pick<AppContext, "db">, userId: string): Promise<string> {
  const row = await ctx.db.query.emails.findFirst({ where: and(eq(emails.userId, userId), eq(emails.isPrimary, true)) });
  if (!row) throw new Error(`user ${userId} has no primary email`);
  return row.address;
}

export interface RegisterInput {
  firstName: string;
  lastName: string;
  email: string;
  password: string;
  acceptTerms: boolean;
  /** Cloudflare Turnstile's token, when Turnstile is on. */
  turnstileToken?: string | null;
}

/**
 * Starts a registration: nothing is written to `users` until the emailed code comes back.
 * Whether or not the address has an account, the answer is the same; only the email differs.
 */
export async function register(ctx: AppContext, input: RegisterInput): Promise<{ email: string }> {
  const problems = new Problems();
  const firstName = checkName(problems, "firstName", "first name", input.firstName);
  const lastName = checkName(problems, "lastName", "last name", input.lastName);
  const email = checkEmail(problems, "email", input.email);
  checkPassword(problems, "password", input.password);
  if (!input.acceptTerms) problems.add("acceptTerms", "Agree to the End user terms and Privacy policy to register.");
  problems.throwIfAny();
  await requireHuman(ctx, input.turnstileToken, "register");

  const now = ctx.now();
  const payload = {
    firstName,
    lastName,
    passwordHash: await hashPassword(input.password),
    termsVersion: ctx.config.termsVersion,
    termsAcceptedAt: now,
  };
  const holder = await getAccountHolding(ctx, email);
  await issueCode(ctx, "register", email, payload, registrationEmail(ctx, email, firstName, holder), now);
  return { email };
}

export async function resendActivationCode(ctx: AppContext, rawEmail: string): Promise<{ email: string }> {
  const problems = new Problems();
  const email = checkEmail(problems, "email", rawEmail);
  problems.throwIfAny();
  const now = ctx.now();
  const holder = await getAccountHolding(ctx, email);
  await reissueCode(ctx, "register", email, (code, payload) => registrationEmail(ctx, email, String(payload.firstName), holder)(code), now);
  return { email };
}

/** The same code either activates a new account or reconnects the existing one; only the wording differs. */
function registrationEmail(ctx: AppContext, email: string, firstName: string, holder: User | null): CodeEmail {
  return (code) =>
    holder ? reconnectEmail(email, ctx.config.appUrl, holder.firstName, code) : activationEmail(email, ctx.config.appUrl, firstName, code);
}

interface RegistrationPayload {
  firstName: string;
  lastName: string;
  passwordHash: string;
  termsVersion: string;
  termsAcceptedAt: number;
}

/**
 * Activates a registration. A new address gets a new account; an address that already
 * has one is reconnected to it: its data stays, the new password replaces the old one.
 */
export async function activateAccount(ctx: AppContext, input: { email: string; code: string }) {
  const problems = new Problems();
  const email = checkEmail(problems, "email", input.email);
  const code = checkCode(problems, "code", input.code);
  problems.throwIfAny();
  const now = ctx.now();
  const payload = (await consumeCode(ctx, "register", email, code, now)) as unknown as RegistrationPayload;
  const existing = await getAccountHolding(ctx, email);
  if (existing) {
    const action = existing.status === "active" ? "account.reconnected" : "account.reopened";
    const mail = await passwordChangedIntent(ctx, existing, email, now);
    await ctx.db.batch([
      ctx.db
        .update(users)
        .set({ status: "active", passwordHash: payload.passwordHash, credentialsChangedAt: new Date(now), updatedAt: new Date(now) })
        .where(eq(users.id, existing.id)),
      auditInsert(ctx.db, { actorUserId: existing.id, action, subjectType: "user", subjectId: existing.id, ip: ctx.ip }, now),
      mail.statement,
    ]);
    afterCredentialsChanged(ctx, existing, mail);
    return { email, reconnected: true };
  }
  const { userId, statements } = newAccountInserts(ctx.db, { ...payload, email }, now);
  await ctx.db.batch([
    ...statements,
    auditInsert(
      ctx.db,
      { actorUserId: userId, action: "account.registered", subjectType: "user", subjectId: userId, data: { email }, ip: ctx.ip },
      now,
    ),
  ]);
  return { email, reconnected: false };
}

export async function requestPasswordReset(ctx: AppContext, rawEmail: string, turnstileToken?: string | null): Promise<{ email: string }> {
  const problems = new Problems();
  const email = checkEmail(problems, "email", rawEmail);
  problems.throwIfAny();
  await requireHuman(ctx, turnstileToken, "password-reset");
  const now = ctx.now();
  const user = await getUserByEmail(ctx, email);
  // A code row and an email exist either way, so throttling, work and answer look the same.
  await issueCode(
    ctx,
    "reset-password",
    email,
    { userId: user?.id ?? null },
    (code) => (user ? passwordResetEmail(email, ctx.config.appUrl, user.firstName, code) : noAccountResetEmail(email, ctx.config.appUrl)),
    now,
  );
  return { email };
}

export async function resetPassword(ctx: AppContext, input: { email: string; code: string; password: string }) {
  const problems = new Problems();
  const email = checkEmail(problems, "email", input.email);
  const code = checkCode(problems, "code", input.code);
  checkPassword(problems, "password", input.password);
  problems.throwIfAny();
  const now = ctx.now();
  const payload = await consumeCode(ctx, "reset-password", email, code, now);
  const user = typeof payload.userId === "string" ? await getUserById(ctx, payload.userId) : null;
  if (user?.status !== "active") throw new ForbiddenError("This account can no longer be reset.");
  const forget = passwordKeysOfAddress(email);
  const mail = await passwordChangedIntent(ctx, user, email, now);
  await ctx.db.batch([
    ctx.db
      .update(users)
      .set({ passwordHash: await hashPassword(input.password), credentialsChangedAt: new Date(now), updatedAt: new Date(now) })
      .where(eq(users.id, user.id)),
    auditInsert(
      ctx.db,
      { actorUserId: user.id, action: "account.password-reset", subjectType: "user", subjectId: user.id, ip: ctx.ip },
      now,
    ),
    // Whoever held the mailbox chose the new password: old guesses at the old one, and code
    // pauses that only someone with the old password could cause, no longer stand.
    clearAttemptsWithPrefixStatement(ctx.db, forget.prefix),
    clearAttemptsStatement(ctx.db, forget.ceiling),
    clearAttemptsStatement(ctx.db, secondFactorKey(user.id)),
    mail.statement,
  ]);
  afterCredentialsChanged(ctx, user, mail);
  return { email };
}

/** "Your password was changed", for the batch that changes it. */
function passwordChangedIntent(ctx: AppContext, user: User, email: string, now: number) {
  return emailIntent(ctx, passwordChangedEmail(email, ctx.config.appUrl, user.firstName), now);
}

/**
 * After the batch that set a new password (and the owner's email intent): sessions and
 * remembered devices predate credentialsChangedAt and are refused already; this tidies KV.
 */
function afterCredentialsChanged(ctx: AppContext, user: User, mail: OutboxWrite) {
  afterCommit(ctx, [mail.id]);
  inBackground(ctx, "new password: ending sessions and devices in KV", () =>
    Promise.all([revokeAllSessions(ctx, user.id), forgetAllDevices(ctx, user.id)]),
  );
}

export async function updateName(ctx: AppContext, user: User, input: { firstName: string; lastName: string }): Promise<User> {
  const problems = new Problems();
  const firstName = checkName(problems, "firstName", "first name", input.firstName);
  const lastName = checkName(problems, "lastName", "last name", input.lastName);
  problems.throwIfAny();
  const now = ctx.now();
  const [, updated] = await ctx.db.batch([
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "account.name-changed",
        subjectType: "user",
        subjectId: user.id,
        data: { firstName, lastName },
        ip: ctx.ip,
      },
      now,
    ),
    ctx.db
      .update(users)
      .set({ firstName, lastName, updatedAt: new Date(now) })
      .where(eq(users.id, user.id))
      .returning(),
  ]);
  const row = updated[0];
  if (!row) throw new Error(`user ${user.id} vanished during update`);
  return row;
}
