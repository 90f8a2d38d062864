import { and, eq, exists, sql } from "drizzle-orm";
import { passwordChangedEmail } from "../accounts/accounts.emails";
import { getPrimaryEmail, getUserById } from "../accounts/accounts.service";
import { type User, users } from "../accounts/accounts.table";
import { hashPassword } from "../accounts/password";
import { checkPassword } from "../accounts/validation";
import { auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { reportError } from "../http/report-error";
import { Problems, ValidationError } from "../lib/errors";
import { reauthenticate } from "../mfa/mfa.service";
import { forgetAllDevices } from "../mfa/remembered-devices";
import { afterCommit } from "../outbox/enqueue";
import { startSession } from "../sessions/session-cookie";
import { revokeAllSessions } from "../sessions/sessions.service";

/**
 * A signed-in user changes their password with the current one and a fresh code from their
 * authenticator (both counted by the second-factor guard, so this form is no way around the
 * sign-in limits). Every other session and every remembered device ends; this browser gets a
 * new session; the owner is emailed.
 */
export async function changePassword(
  ctx: AppContext,
  user: User,
  input: { password: string; newPassword: string; code: string },
): Promise<{ changedAt: Date }> {
  if (!user.passwordHash) {
    throw ValidationError.field(
      "password",
      "Your account signs in with Google or Microsoft and has no password. Use “Forgot password?” to set one.",
    );
  }
  const problems = new Problems();
  if (!input.password) problems.add("password", "Enter your current password.");
  checkPassword(problems, "newPassword", input.newPassword);
  if (input.newPassword && input.newPassword === input.password)
    problems.add("newPassword", "Choose a password other than your current one.");
  problems.throwIfAny();
  await reauthenticate(ctx, user, { password: input.password, code: input.code });
  const oldHash = user.passwordHash;
  const now = ctx.now();
  // Two changes racing from the same old password: the first batch wins, the other changes,
  // audits and emails nothing.
  const stillOld = exists(
    ctx.db
      .select({ one: sql`1` })
      .from(users)
      .where(and(eq(users.id, user.id), eq(users.passwordHash, oldHash))),
  );
  const mail = await emailIntent(ctx, passwordChangedEmail(await getPrimaryEmail(ctx, user.id), ctx.config.appUrl, user.firstName), now, {
    when: stillOld,
  });
  const [, , changed] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      { actorUserId: user.id, action: "account.password-changed", subjectType: "user", subjectId: user.id, ip: ctx.ip },
      now,
      stillOld,
    ),
    mail.statement,
    ctx.db
      .update(users)
      .set({ passwordHash: await hashPassword(input.newPassword), credentialsChangedAt: new Date(now), updatedAt: new Date(now) })
      .where(and(eq(users.id, user.id), eq(users.passwordHash, oldHash)))
      .returning({ id: users.id }),
  ]);
  if (!changed[0]) throw ValidationError.field("password", "Your password was changed a moment ago. Enter the new one.");
  afterCommit(ctx, [mail.id]);
  // This browser starts afresh; sessions and devices from before `credentialsChangedAt` are
  // refused already, and tidying them out of KV after the answer must not fail the change.
  const session = await startSession(ctx, (await getUserById(ctx, user.id)) ?? user);
  ctx.waitUntil(
    Promise.all([revokeAllSessions(ctx, user.id, session.id), forgetAllDevices(ctx, user.id)]).catch((error) =>
      reportError(error, "password change: tidying sessions"),
    ),
  );
  return { changedAt: new Date(now) };
}
