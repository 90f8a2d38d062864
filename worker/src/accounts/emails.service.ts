import { createContextCache } from "@pothos/core";
import DataLoader from "dataloader";
import { and, asc, eq, inArray, ne } from "drizzle-orm";
import { auditInsert } from "../audit/audit";
import type { AppContext } from "../context";
import type { Db } from "../database";
import { inSlices } from "../db/limits";
import { checkEmail } from "../lib/email-address";
import { InvalidCodeError, NotFoundError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { afterCommit } from "../outbox/enqueue";
import { emailVerifiedIntent } from "./account-events";
import { addEmailCodeEmail } from "./accounts.emails";
import { getUserByEmail } from "./accounts.service";
import { type Email, emails, type User } from "./accounts.table";
import { consumeCode, issueCode } from "./codes";
import { rememberMailboxProof } from "./merge.service";
import { checkCode } from "./validation";

/** The emails of these users, oldest first. */
export function listEmailsOfUsers(ctx: Pick<AppContext, "db">, userIds: readonly string[]): Promise<Email[]> {
  return inSlices(userIds, (slice) =>
    ctx.db.select().from(emails).where(inArray(emails.userId, slice)).orderBy(asc(emails.createdAt), asc(emails.id)).all(),
  );
}

/**
 * Each user's primary address, read in one query per batch of users in a request. The
 * signed-in user's is primed by the session lookup, which reads it with the user row. Keyed by
 * the request's database client: Yoga copies the request context into an object of its own,
 * and the client is what both share.
 */
const primaryEmailsOf = createContextCache(
  (db: Db) =>
    new DataLoader<string, string>(async (userIds) => {
      const rows = await inSlices(userIds, (slice) =>
        db
          .select({ userId: emails.userId, address: emails.address })
          .from(emails)
          .where(and(inArray(emails.userId, slice), eq(emails.isPrimary, true)))
          .all(),
      );
      const byUser = new Map(rows.map((r) => [r.userId, r.address]));
      return userIds.map((id) => byUser.get(id) ?? "");
    }),
);

export const primaryEmails = (ctx: Pick<AppContext, "db">) => primaryEmailsOf(ctx.db);

export function listEmails(ctx: Pick<AppContext, "db">, userId: string): Promise<Email[]> {
  return ctx.db.select().from(emails).where(eq(emails.userId, userId)).all();
}

async function requireOwnEmail(ctx: Pick<AppContext, "db">, user: User, emailId: string): Promise<Email> {
  const email = await ctx.db.query.emails.findFirst({ where: and(eq(emails.id, emailId), eq(emails.userId, user.id)) });
  if (!email) throw new NotFoundError("That email is not on your account.");
  return email;
}

/**
 * Sends a code to an address the user wants to add. The answer is the same whether or not
 * another account uses the address: who owns it is only revealed to whoever reads its mail.
 */
export async function addEmail(ctx: AppContext, user: User, rawAddress: string): Promise<{ email: string }> {
  const problems = new Problems();
  const address = checkEmail(problems, "address", rawAddress);
  problems.throwIfAny();
  if ((await listEmails(ctx, user.id)).some((e) => e.address === address))
    throw ValidationError.field("address", "This address is already on your account.");
  await issueCode(
    ctx,
    "add-email",
    address,
    { userId: user.id },
    (code) => addEmailCodeEmail(address, ctx.config.appUrl, user.firstName, code),
    ctx.now(),
  );
  return { email: address };
}

/** The address belongs to another Laurel account: the user may link (merge) it instead. */
export class MergeRequiredError extends Error {
  override name = "MergeRequiredError";
  constructor(readonly address: string) {
    super("Another Laurel account already uses this address. If it is yours too, link that account: its badges and emails join this one.");
  }
}

async function mergeRequired(ctx: AppContext, user: User, address: string): Promise<MergeRequiredError> {
  await rememberMailboxProof(ctx, user.id, address);
  return new MergeRequiredError(address);
}

/**
 * Adds the address once its code comes back. If another account already has it verified,
 * the user now provably reads that mailbox and is offered to link (merge) that account.
 */
export async function confirmEmail(ctx: AppContext, user: User, input: { address: string; code: string }): Promise<Email> {
  const problems = new Problems();
  const address = checkEmail(problems, "address", input.address);
  const code = checkCode(problems, "code", input.code);
  problems.throwIfAny();
  const now = ctx.now();
  const payload = await consumeCode(ctx, "add-email", address, code, now);
  if (payload.userId !== user.id) throw new InvalidCodeError("That code is not right. Ask for a new one.");
  const owner = await getUserByEmail(ctx, address);
  if (owner && owner.id !== user.id) throw await mergeRequired(ctx, user, address);
  if (owner) throw ValidationError.field("address", "This address is already on your account.");
  const id = newId();
  // What the address holds (badges, pathway invitations) is the account's now; pathways judge completions again.
  const verified = emailVerifiedIntent(ctx.db, user.id, id, now);
  try {
    const [inserted] = await ctx.db.batch([
      ctx.db
        .insert(emails)
        .values({ id, userId: user.id, address, isPrimary: false, verifiedAt: new Date(now), createdAt: new Date(now) })
        .returning(),
      auditInsert(
        ctx.db,
        { actorUserId: user.id, action: "account.email-added", subjectType: "user", subjectId: user.id, data: { address }, ip: ctx.ip },
        now,
      ),
      verified.statement,
    ]);
    afterCommit(ctx, [verified.id]);
    return inserted[0]!;
  } catch (error) {
    // Another account verified the address between our check and our insert.
    if (String(error).includes("UNIQUE")) throw await mergeRequired(ctx, user, address);
    throw error;
  }
}

/** Makes a verified address the one Laurel writes to and signs in with first. */
export async function setPrimaryEmail(ctx: AppContext, user: User, emailId: string): Promise<void> {
  const email = await requireOwnEmail(ctx, user, emailId);
  if (email.isPrimary) return;
  const now = ctx.now();
  // The partial unique index allows one primary: clear the old one before setting the new.
  await ctx.db.batch([
    ctx.db
      .update(emails)
      .set({ isPrimary: false })
      .where(and(eq(emails.userId, user.id), ne(emails.id, emailId))),
    ctx.db.update(emails).set({ isPrimary: true }).where(eq(emails.id, emailId)),
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "account.primary-email-set",
        subjectType: "user",
        subjectId: user.id,
        data: { address: email.address },
        ip: ctx.ip,
      },
      now,
    ),
  ]);
  // The request's answer must show the new primary, not the one its session lookup read.
  primaryEmails(ctx).clear(user.id);
}

/**
 * Removes a non-primary address. Its badges stay valid (public documents carry their own
 * hashed recipient); they just leave this backpack until some account verifies the address.
 */
export async function removeEmail(ctx: AppContext, user: User, emailId: string): Promise<void> {
  const email = await requireOwnEmail(ctx, user, emailId);
  // Without an address there is no sign-in, no password reset and nowhere to write.
  if ((await listEmails(ctx, user.id)).length === 1)
    throw ValidationError.field("id", "This is the only email on your account. Add another address before removing it.");
  if (email.isPrimary) throw ValidationError.field("id", "This is your primary email. Make another address primary first.");
  const now = ctx.now();
  await ctx.db.batch([
    ctx.db.delete(emails).where(and(eq(emails.id, emailId), eq(emails.isPrimary, false))),
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "account.email-removed",
        subjectType: "user",
        subjectId: user.id,
        data: { address: email.address },
        ip: ctx.ip,
      },
      now,
    ),
  ]);
}
