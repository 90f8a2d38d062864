import { and, eq, inArray } from "drizzle-orm";
import { auditInsert } from "../audit/audit";
import { issuerMembers } from "../badges/issuers.table";
import type { AppContext } from "../context";
import type { Db } from "../db/client";
import { InvalidCredentialsError, Problems, RateLimitedError, ValidationError } from "../lib/errors";
import { MINUTE } from "../lib/time";
import { checkCode as checkTotp, deleteAuthenticatorsStatement, getActiveAuthenticator } from "../mfa/authenticators";
import { MFA_POLICY } from "../mfa/mfa.service";
import { deleteRecoveryCodeStatement } from "../mfa/recovery-codes";
import { forgetAllDevices } from "../mfa/remembered-devices";
import { pendingSignIns } from "../sessions/pending-sign-ins.table";
import { revokeAllSessions } from "../sessions/sessions.service";
import { ssoIdentities } from "../sso/sso.table";
import { clearFailures, getLockedUntil, recordFailure } from "../throttling/attempts";
import { accountsMergedEmail } from "./accounts.emails";
import { ACCOUNT_SIGN_IN_POLICY, getPrimaryEmail, getUserByEmail } from "./accounts.service";
import { emails, type User, users } from "./accounts.table";
import { burnPasswordCheck, verifyPassword } from "./password";
import { checkEmail } from "./validation";

/**
 * Everything an account owns that moves to the surviving account, as unexecuted statements.
 * Badges need no line: they belong to addresses, and the addresses move.
 */
function moveOwnedRows(db: Db, fromId: string, intoId: string) {
  return [
    db.update(emails).set({ isPrimary: false, userId: intoId }).where(eq(emails.userId, fromId)),
    db.update(ssoIdentities).set({ userId: intoId }).where(eq(ssoIdentities.userId, fromId)),
    // A membership both accounts hold keeps the survivor's role; the rest move.
    db
      .delete(issuerMembers)
      .where(
        and(
          eq(issuerMembers.userId, fromId),
          inArray(
            issuerMembers.issuerId,
            db.select({ id: issuerMembers.issuerId }).from(issuerMembers).where(eq(issuerMembers.userId, intoId)),
          ),
        ),
      ),
    db.update(issuerMembers).set({ userId: intoId }).where(eq(issuerMembers.userId, fromId)),
  ] as const;
}

/**
 * Joins the account that owns `address` into `survivor`, once the person proves they own it
 * with its password and its authenticator code. One D1 batch moves everything and closes the
 * other account, so a failure changes nothing. Wrong answers count against the other
 * account's sign-in and MFA locks, so this is no way around them.
 */
export async function mergeAccount(
  ctx: AppContext,
  survivor: User,
  input: { address: string; password: string; code: string },
): Promise<User> {
  const problems = new Problems();
  const address = checkEmail(problems, "address", input.address);
  if (!input.password) problems.add("password", "Enter the password of the other account.");
  problems.throwIfAny();
  const now = ctx.now();
  const signInKey = `sign-in:email:${address}`;
  const locked = await getLockedUntil(ctx.db, signInKey, now);
  const other = await getUserByEmail(ctx, address);
  const mfaLocked = other ? await getLockedUntil(ctx.db, `mfa:user:${other.id}`, now) : null;
  const until = Math.max(locked ?? 0, mfaLocked ?? 0);
  if (until > now)
    throw new RateLimitedError(
      `Too many wrong attempts for that account. Try again in ${Math.ceil((until - now) / MINUTE)} minutes.`,
      Math.ceil((until - now) / 1000),
    );
  if (other?.id === survivor.id) throw ValidationError.field("address", "That address is already on this account.");

  // Same work and same answer whether or not the address has an account.
  const passwordOk = other?.passwordHash
    ? await verifyPassword(input.password, other.passwordHash)
    : await burnPasswordCheck(input.password);
  if (!other || !passwordOk) {
    await recordFailure(ctx.db, signInKey, ACCOUNT_SIGN_IN_POLICY, now);
    throw new InvalidCredentialsError();
  }
  const authenticator = await getActiveAuthenticator(ctx, other.id);
  if (authenticator) {
    const code = input.code.replace(/\s/g, "");
    const result = /^\d{6}$/.test(code) ? await checkTotp(ctx, authenticator, code, now) : "wrong";
    if (result !== "accepted") {
      await recordFailure(ctx.db, `mfa:user:${other.id}`, MFA_POLICY, now);
      throw ValidationError.field("code", "That code is not right. Enter the newest code from the other account's authenticator app.");
    }
  }
  const [otherAddress, survivorAddress] = await Promise.all([getPrimaryEmail(ctx, other.id), getPrimaryEmail(ctx, survivor.id)]);
  const moved = { from: other.id, into: survivor.id };
  await ctx.db.batch([
    ...moveOwnedRows(ctx.db, other.id, survivor.id),
    deleteAuthenticatorsStatement(ctx, other.id),
    deleteRecoveryCodeStatement(ctx, other.id),
    ctx.db.delete(pendingSignIns).where(eq(pendingSignIns.userId, other.id)),
    ctx.db
      .update(users)
      .set({ status: "closed", credentialsChangedAt: new Date(now), devicesTrustedFrom: new Date(now), updatedAt: new Date(now) })
      .where(and(eq(users.id, other.id), eq(users.status, "active"))),
    auditInsert(
      ctx.db,
      { actorUserId: survivor.id, action: "account.merged", subjectType: "user", subjectId: survivor.id, data: moved, ip: ctx.ip },
      now,
    ),
    auditInsert(
      ctx.db,
      { actorUserId: survivor.id, action: "account.merged", subjectType: "user", subjectId: other.id, data: moved, ip: ctx.ip },
      now,
    ),
  ]);
  await Promise.all([revokeAllSessions(ctx, other.id), forgetAllDevices(ctx, other.id), clearFailures(ctx.db, signInKey)]);
  await Promise.all([
    ctx.mailer.send(accountsMergedEmail(otherAddress, ctx.config.appUrl, other.firstName, otherAddress, survivorAddress)),
    ctx.mailer.send(accountsMergedEmail(survivorAddress, ctx.config.appUrl, survivor.firstName, otherAddress, survivorAddress)),
  ]);
  return survivor;
}
