import { and, eq, exists, inArray, notExists, notInArray, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { alias } from "drizzle-orm/sqlite-core";
import { auditInsertWhere } from "../audit/audit";
import { issuerMembers } from "../badges/issuers.table";
import { collections } from "../collections/collections.table";
import type { AppContext } from "../context";
import type { Db } from "../database";
import { insertWhere } from "../db/conditional";
import { emailIntent } from "../email/queued-email";
import { helpFeedback, helpVotes } from "../help/help.table";
import { userVoterKey } from "../help/voter";
import { apiTokens } from "../integrations/api-tokens.table";
import { oauthClients } from "../integrations/oauth-clients.table";
import { checkEmail } from "../lib/email-address";
import { InvalidCredentialsError, Problems, ValidationError } from "../lib/errors";
import { newId } from "../lib/ids";
import { checkCode as checkTotp, deleteAuthenticatorsStatement, getActiveAuthenticator } from "../mfa/authenticators";
import { checkSecondFactorAttempt } from "../mfa/code-attempts";
import { deleteRecoveryCodeStatement } from "../mfa/recovery-codes";
import { forgetAllDevices } from "../mfa/remembered-devices";
import { submissions } from "../microcredentials/submissions.table";
import { afterCommit } from "../outbox/enqueue";
import type { OutboxWrite } from "../outbox/intents";
import { pathwayCompletions, pathwayProgressShares, pathwaySubscriptions } from "../pathways/pathways.table";
import { revokeAllSessions } from "../sessions/sessions.service";
import { ssoFlows, ssoIdentities } from "../sso/sso.table";
import { clearAttemptsStatement } from "../throttling/guard";
import { secondFactorKey } from "../throttling/policies";
import { tickets } from "../tickets/tickets.table";
import { webhookEndpoints } from "../webhooks/webhooks.table";
import { accountsMergedIntent } from "./account-events";
import { accountsMergedEmail } from "./accounts.emails";
import { getUserByEmail, getUserById } from "./accounts.service";
import { emails, type User, users } from "./accounts.table";
import { accountMerges } from "./merges.table";
import { checkPasswordAttempt } from "./password-attempts";
import { profiles } from "./profile.table";

/** How long a proved mailbox (a code that ended in MergeRequired) stands in for a missing password. */
const MAILBOX_PROOF_TTL_S = 60 * 60;
const mailboxProofKey = (userId: string, address: string) => `merge-proof:${userId}:${address}`;

/**
 * Records that `userId` read a code sent to `address`, which another account owns. An account
 * without a password (SSO only) has nothing else to prove ownership with besides its
 * authenticator, and a code alone is too few guesses away; the mailbox is what a password
 * reset would ask for anyway.
 */
export async function rememberMailboxProof(ctx: Pick<AppContext, "kv">, userId: string, address: string): Promise<void> {
  await ctx.kv.put(mailboxProofKey(userId, address), "1", { expirationTtl: MAILBOX_PROOF_TTL_S });
}

/**
 * Everything an account owns that moves to the surviving account, as unexecuted statements
 * that run only `when` the merge won its guard: a new table that references users.id needs a
 * line here (merge.test.ts checks that every reference is accounted for). Badges need no
 * line: they belong to addresses, and the addresses move; `awards.awarded_by`/`revoked_by`
 * record who acted and stay as they were.
 */
function moveOwnedRows(db: Db, fromId: string, intoId: string, when: SQL) {
  return [
    db
      .update(emails)
      .set({ isPrimary: false, userId: intoId })
      .where(and(eq(emails.userId, fromId), when)),
    db
      .update(ssoIdentities)
      .set({ userId: intoId })
      .where(and(eq(ssoIdentities.userId, fromId), when)),
    // Integrations keep working: the survivor now holds the memberships the tokens act with.
    db
      .update(apiTokens)
      .set({ createdByUserId: intoId })
      .where(and(eq(apiTokens.createdByUserId, fromId), when)),
    db
      .update(oauthClients)
      .set({ createdByUserId: intoId })
      .where(and(eq(oauthClients.createdByUserId, fromId), when)),
    db
      .update(webhookEndpoints)
      .set({ createdByUserId: intoId })
      .where(and(eq(webhookEndpoints.createdByUserId, fromId), when)),
    // One profile per user: the survivor's wins; the other's moves only to fill a gap.
    db
      .update(profiles)
      .set({ userId: intoId })
      .where(and(eq(profiles.userId, fromId), notExists(db.select().from(profiles).where(eq(profiles.userId, intoId))), when)),
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
          when,
        ),
      ),
    db
      .update(issuerMembers)
      .set({ userId: intoId })
      .where(and(eq(issuerMembers.userId, fromId), when)),
    db
      .update(collections)
      .set({ userId: intoId })
      .where(and(eq(collections.userId, fromId), when)),
    // One live micro-credential submission per learner and badge: where both accounts have
    // one, the other account's undecided one is withdrawn (its rounds and reviews stay), then all move.
    db
      .update(submissions)
      .set({ state: "withdrawn", claimedBy: null, claimedUntil: null })
      .where(
        and(
          eq(submissions.learnerId, fromId),
          inArray(submissions.state, ["draft", "submitted", "in_review", "returned", "resubmitted"]),
          inArray(
            submissions.badgeClassId,
            db
              .select({ id: submissions.badgeClassId })
              .from(submissions)
              .where(and(eq(submissions.learnerId, intoId), notInArray(submissions.state, ["not_awarded", "withdrawn"]))),
          ),
          when,
        ),
      ),
    db
      .update(submissions)
      .set({ learnerId: intoId })
      .where(and(eq(submissions.learnerId, fromId), when)),
    // Pathways both accounts follow stay followed once; a node both completed keeps the
    // survivor's completion (the other's stays with the closed account, with its award).
    db
      .delete(pathwaySubscriptions)
      .where(
        and(
          eq(pathwaySubscriptions.userId, fromId),
          inArray(
            pathwaySubscriptions.pathwayId,
            db.select({ id: pathwaySubscriptions.pathwayId }).from(pathwaySubscriptions).where(eq(pathwaySubscriptions.userId, intoId)),
          ),
          when,
        ),
      ),
    db
      .update(pathwaySubscriptions)
      .set({ userId: intoId })
      .where(and(eq(pathwaySubscriptions.userId, fromId), when)),
    db
      .update(pathwayCompletions)
      .set({ userId: intoId })
      .where(
        and(
          eq(pathwayCompletions.userId, fromId),
          notExists(
            db
              .select({ id: survivorCompletions.id })
              .from(survivorCompletions)
              .where(
                and(
                  eq(survivorCompletions.userId, intoId),
                  eq(survivorCompletions.pathwayId, pathwayCompletions.pathwayId),
                  eq(survivorCompletions.nodeId, pathwayCompletions.nodeId),
                ),
              ),
          ),
          when,
        ),
      ),
    // A progress link of the closed account stops working; the survivor shares again if they want.
    db.delete(pathwayProgressShares).where(and(eq(pathwayProgressShares.userId, fromId), when)),
    // One person, one vote per article: the other account's votes count for the survivor where
    // the survivor has not voted on that article; the rest go.
    db
      .update(helpVotes)
      .set({ voterKey: userVoterKey(intoId) })
      .where(
        and(
          eq(helpVotes.voterKey, userVoterKey(fromId)),
          notExists(
            db
              .select({ articleId: survivorVotes.articleId })
              .from(survivorVotes)
              .where(and(eq(survivorVotes.voterKey, userVoterKey(intoId)), eq(survivorVotes.articleId, helpVotes.articleId))),
          ),
          when,
        ),
      ),
    db.delete(helpVotes).where(and(eq(helpVotes.voterKey, userVoterKey(fromId)), when)),
    db
      .update(helpFeedback)
      .set({ userId: intoId })
      .where(and(eq(helpFeedback.userId, fromId), when)),
    // The person's support requests, and those assigned to them, follow them; who wrote each
    // comment stays as written.
    db
      .update(tickets)
      .set({ requesterUserId: intoId })
      .where(and(eq(tickets.requesterUserId, fromId), when)),
    db
      .update(tickets)
      .set({ assigneeUserId: intoId })
      .where(and(eq(tickets.assigneeUserId, fromId), when)),
  ] as const;
}

/**
 * What only made sense for the other account as an account: its factors and half-finished
 * flows. Its pending sign-ins and sign-in links (auth/) need no line: they refuse an account
 * that is no longer active, and end within minutes.
 */
function deleteAccountOnlyRows(ctx: AppContext, userId: string, when: SQL) {
  return [
    deleteAuthenticatorsStatement(ctx, userId, when),
    deleteRecoveryCodeStatement(ctx, userId, when),
    // A link started by the other account must not complete onto the closed account.
    ctx.db.delete(ssoFlows).where(and(eq(ssoFlows.userId, userId), when)),
  ] as const;
}

const survivorCompletions = alias(pathwayCompletions, "survivor_completions");
const survivorVotes = alias(helpVotes, "survivor_votes");

const isActive = (db: Db, userId: string) =>
  exists(
    db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.status, "active"))),
  );

/**
 * The batch that joins `fromId` into `intoId`. Its first statement records the merge only if
 * both accounts are still active; every later one runs only if that record exists. D1 runs a
 * batch as one transaction, one batch after another, so of merges racing over the same two
 * accounts (crossed, or the same one twice) the first wins and the others change nothing.
 * Returns whether this one won.
 */
async function runMerge(
  ctx: AppContext,
  fromId: string,
  intoId: string,
  now: number,
  follow: (won: SQL) => Promise<BatchItem<"sqlite">[]>,
): Promise<boolean> {
  const mergeId = newId();
  const won = exists(ctx.db.select({ id: accountMerges.id }).from(accountMerges).where(eq(accountMerges.id, mergeId)));
  const moved = { from: fromId, into: intoId };
  const audit = (subjectId: string) =>
    auditInsertWhere(
      ctx.db,
      { actorUserId: intoId, action: "account.merged", subjectType: "user", subjectId, data: moved, ip: ctx.ip },
      now,
      won,
    );
  // Pathways judge the survivor's completions again: it holds the other account's badges now.
  const merged = accountsMergedIntent(ctx.db, mergeId, intoId, now, won);
  const [recorded] = await ctx.db.batch([
    insertWhere(
      ctx.db,
      accountMerges,
      { id: mergeId, fromUserId: fromId, intoUserId: intoId, createdAt: new Date(now) },
      and(isActive(ctx.db, fromId), isActive(ctx.db, intoId))!,
    ).returning({ id: accountMerges.id }),
    ctx.db
      .update(users)
      .set({ status: "closed", credentialsChangedAt: new Date(now), devicesTrustedFrom: new Date(now), updatedAt: new Date(now) })
      .where(and(eq(users.id, fromId), won)),
    ...moveOwnedRows(ctx.db, fromId, intoId, won),
    ...deleteAccountOnlyRows(ctx, fromId, won),
    audit(intoId),
    audit(fromId),
    merged.statement,
    ...(await follow(won)),
  ]);
  if (recorded.length === 1) afterCommit(ctx, [merged.id]);
  return recorded.length === 1;
}

/**
 * Joins the account that owns `address` into `survivor`, once the person proves they own it
 * with its password (or, without one, the mailbox code that led here) and its authenticator
 * code. Wrong answers count against the other account's sign-in and MFA locks, so this is no
 * way around them. One D1 batch moves everything and closes the other account, so a failure
 * changes nothing.
 */
export async function mergeAccount(
  ctx: AppContext,
  survivor: User,
  input: { address: string; password: string; code: string },
): Promise<User> {
  const problems = new Problems();
  const address = checkEmail(problems, "address", input.address);
  problems.throwIfAny();
  const now = ctx.now();
  const other = await getUserByEmail(ctx, address);
  if (other?.id === survivor.id) throw ValidationError.field("address", "That address is already on this account.");

  const provedMailbox = other !== null && (await ctx.kv.get(mailboxProofKey(survivor.id, address))) !== null;
  const passwordless = provedMailbox && !other?.passwordHash;
  if (!input.password && !passwordless) throw ValidationError.field("password", "Enter the password of the other account.");
  // Guesses count against the other address's own sign-in keys, so this is no way around
  // them; an address without an account answers and costs the same. Only after the password
  // does the second-factor pause come into view: before it, a pause would tell a stranger
  // that the address has an account. A proved mailbox of an account without a password
  // already knows that.
  if (!passwordless) await checkPasswordAttempt(ctx, address, other, input.password);
  if (!other) throw new InvalidCredentialsError();

  const authenticator = await getActiveAuthenticator(ctx, other.id);
  if (authenticator) {
    const code = input.code.replace(/\s/g, "");
    if (!/^\d{6}$/.test(code)) throw ValidationError.field("code", "Enter the 6-digit code from the other account's authenticator app.");
    await checkSecondFactorAttempt(ctx, other, () => checkTotp(ctx, authenticator, code, now), undefined, {
      wrong: "That code is not right. Enter the newest code from the other account's authenticator app.",
      replayed: "That code was already used. Wait for the next code in the other account's app and enter it.",
    });
  }

  // Read before the batch moves them; a concurrent merge may already have (then this one lost).
  const primaries = await ctx.db
    .select({ userId: emails.userId, address: emails.address })
    .from(emails)
    .where(and(inArray(emails.userId, [other.id, survivor.id]), eq(emails.isPrimary, true)))
    .all();
  const otherAddress = primaries.find((p) => p.userId === other.id)?.address;
  const survivorAddress = primaries.find((p) => p.userId === survivor.id)?.address;
  if (!otherAddress || !survivorAddress) return afterLostRace(ctx, survivor, other);
  // Both owners hear about it, only if this merge is the one that happened.
  const mails: OutboxWrite[] = [];
  const won = await runMerge(ctx, other.id, survivor.id, now, async (happened) => {
    for (const [to, firstName] of [
      [otherAddress, other.firstName],
      [survivorAddress, survivor.firstName],
    ] as const) {
      const message = accountsMergedEmail(to, ctx.config.appUrl, firstName, otherAddress, survivorAddress);
      mails.push(await emailIntent(ctx, message, now, { when: happened }));
    }
    return [...mails.map((m) => m.statement), clearAttemptsStatement(ctx.db, secondFactorKey(other.id))];
  });
  if (!won) return afterLostRace(ctx, survivor, other);
  afterCommit(
    ctx,
    mails.map((m) => m.id),
  );
  await Promise.all([
    revokeAllSessions(ctx, other.id),
    forgetAllDevices(ctx, other.id),
    ctx.kv.delete(mailboxProofKey(survivor.id, address)),
  ]);
  return survivor;
}

/**
 * A merge that found the accounts changed by a concurrent one. If that one already joined the
 * same account into this one, the person got what they asked for; otherwise nothing moved.
 */
async function afterLostRace(ctx: AppContext, survivor: User, other: User): Promise<User> {
  const [current, record] = await Promise.all([
    getUserById(ctx, survivor.id),
    ctx.db.query.accountMerges.findFirst({ where: eq(accountMerges.fromUserId, other.id) }),
  ]);
  if (current?.status !== "active") {
    throw ValidationError.field("address", "This account was just joined into another one. Sign in again to continue.");
  }
  if (record?.intoUserId === survivor.id) return current;
  throw ValidationError.field("address", "That account changed while you were linking it. Try again.");
}
