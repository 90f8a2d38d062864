import { and, asc, eq, gt, inArray, type SQL } from "drizzle-orm";
import type { User } from "../accounts/accounts.table";
import { emails } from "../accounts/accounts.table";
import { emailCodes } from "../accounts/codes.table";
import { auditInsert, auditInsertWhere } from "../audit/audit";
import type { AppContext } from "../context";
import { insertWhere, rowExists } from "../db/conditional";
import { inSlices } from "../db/limits";
import { emailIntent } from "../email/queued-email";
import { randomToken, sha256Hex } from "../lib/crypto";
import { checkEmail } from "../lib/email-address";
import { NotFoundError, Problems } from "../lib/errors";
import { newId } from "../lib/ids";
import { DAY } from "../lib/time";
import { afterCommit } from "../outbox/enqueue";
import { issuerInvitationEmail } from "./badges.emails";
import { InvitationAddressError, InvitationUnavailableError } from "./invitation-errors";
import { type IssuerInvitation, issuerInvitations } from "./invitations.table";
import { getIssuer, getRole, requireIssuerRole } from "./issuers.service";
import { type Issuer, type IssuerRole, issuerMembers } from "./issuers.table";

// Owners invite an address; whoever reads its mail and signs in to an account holding it
// (verified) joins. Nothing here looks up whether an address has an account before that, so
// an owner learns nothing about other people's addresses.

export const INVITATION_DAYS = 7;
const INVITATION_MS = INVITATION_DAYS * DAY;

async function newToken() {
  const token = randomToken(32);
  return { token, hash: await sha256Hex(token) };
}

const invitationUrl = (appUrl: string, token: string) => `${appUrl}/invitations/${token}`;

async function invitationMail(ctx: AppContext, issuer: Issuer, inviter: User, email: string, role: IssuerRole, token: string, now: number) {
  const message = issuerInvitationEmail(email, {
    issuerName: issuer.name,
    inviterName: `${inviter.firstName} ${inviter.lastName}`.trim(),
    role,
    url: invitationUrl(ctx.config.appUrl, token),
    days: INVITATION_DAYS,
  });
  return { message, notAfter: now + INVITATION_MS };
}

/**
 * Invites `email` in `role`, replacing a pending invitation of the same address. The answer,
 * the statements and the email are the same whether or not the address has an account.
 */
export async function inviteIssuerMember(
  ctx: AppContext,
  user: User,
  input: { issuerId: string; email: string; role: IssuerRole },
): Promise<IssuerInvitation> {
  const issuer = await requireIssuerRole(ctx, user, input.issuerId, "manage-members");
  const problems = new Problems();
  const email = checkEmail(problems, "email", input.email);
  problems.throwIfAny();
  const now = ctx.now();
  const { row, mailId, statements } = await invitationWrites(ctx, issuer, user, email, input.role, now);
  await ctx.db.batch(statements);
  afterCommit(ctx, [mailId]);
  return row;
}

/**
 * The statements of a new invitation, for a batch: the pending one of the address replaced,
 * the row, its email and its audit row. `email` must be normalised.
 */
export async function invitationWrites(ctx: AppContext, issuer: Issuer, inviter: User, email: string, role: IssuerRole, now: number) {
  const { token, hash } = await newToken();
  const row: IssuerInvitation = {
    id: newId(),
    issuerId: issuer.id,
    email,
    role,
    tokenHash: hash,
    status: "pending",
    invitedByUserId: inviter.id,
    acceptedByUserId: null,
    createdAt: new Date(now),
    sentAt: new Date(now),
    expiresAt: new Date(now + INVITATION_MS),
    decidedAt: null,
  };
  const { message, notAfter } = await invitationMail(ctx, issuer, inviter, email, role, token, now);
  const mail = await emailIntent(ctx, message, now, { notAfter });
  const statements = [
    ctx.db
      .update(issuerInvitations)
      .set({ status: "replaced", decidedAt: new Date(now) })
      .where(and(eq(issuerInvitations.issuerId, issuer.id), eq(issuerInvitations.email, email), eq(issuerInvitations.status, "pending"))),
    ctx.db.insert(issuerInvitations).values(row),
    mail.statement,
    auditInsert(
      ctx.db,
      {
        actorUserId: inviter.id,
        action: "issuer.member-invited",
        subjectType: "issuer",
        subjectId: issuer.id,
        data: { invitationId: row.id, email, role },
        ip: ctx.ip,
      },
      now,
    ),
  ] as const;
  return { row, mailId: mail.id, statements };
}

async function getInvitation(ctx: Pick<AppContext, "db">, id: string): Promise<IssuerInvitation | null> {
  return (await ctx.db.query.issuerInvitations.findFirst({ where: eq(issuerInvitations.id, id) })) ?? null;
}

/** The invitation with this id, for an owner of its issuer. */
async function requireOwnedInvitation(ctx: AppContext, user: User, id: string) {
  const invitation = await getInvitation(ctx, id);
  if (!invitation) throw new NotFoundError("No invitation with that id.");
  const issuer = await requireIssuerRole(ctx, user, invitation.issuerId, "manage-members");
  return { invitation, issuer };
}

/** Why an invitation that is not (or no longer) pending cannot be used. */
function unavailable(invitation: IssuerInvitation | null, now: number): InvitationUnavailableError | null {
  if (!invitation) return new InvitationUnavailableError("unknown");
  if (invitation.status !== "pending") return new InvitationUnavailableError(invitation.status);
  if (invitation.expiresAt.getTime() <= now) return new InvitationUnavailableError("expired");
  return null;
}

/** A new link for a pending invitation (expired or not), valid for another week; the old link stops working. */
export async function resendIssuerInvitation(ctx: AppContext, user: User, id: string): Promise<IssuerInvitation> {
  const { invitation, issuer } = await requireOwnedInvitation(ctx, user, id);
  const now = ctx.now();
  const { token, hash } = await newToken();
  const sent = rowExists(ctx.db, issuerInvitations, and(eq(issuerInvitations.id, id), eq(issuerInvitations.tokenHash, hash)));
  const { message, notAfter } = await invitationMail(ctx, issuer, user, invitation.email, invitation.role, token, now);
  const mail = await emailIntent(ctx, message, now, { notAfter, when: sent });
  const [updated] = await ctx.db.batch([
    ctx.db
      .update(issuerInvitations)
      .set({ tokenHash: hash, sentAt: new Date(now), expiresAt: new Date(now + INVITATION_MS) })
      .where(and(eq(issuerInvitations.id, id), eq(issuerInvitations.status, "pending")))
      .returning(),
    mail.statement,
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: user.id,
        action: "issuer.invitation-resent",
        subjectType: "issuer",
        subjectId: issuer.id,
        data: { invitationId: id, email: invitation.email },
        ip: ctx.ip,
      },
      now,
      sent,
    ),
  ]);
  const renewed = updated[0];
  if (!renewed) throw unavailable(await getInvitation(ctx, id), now) ?? new InvitationUnavailableError("unknown");
  afterCommit(ctx, [mail.id]);
  return renewed;
}

/** Withdraws a pending invitation: its link stops working at once. */
export async function revokeIssuerInvitation(ctx: AppContext, user: User, id: string): Promise<Issuer> {
  const { invitation, issuer } = await requireOwnedInvitation(ctx, user, id);
  const now = ctx.now();
  const guard = and(eq(issuerInvitations.id, id), eq(issuerInvitations.status, "pending"));
  const [, revoked] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: user.id,
        action: "issuer.invitation-revoked",
        subjectType: "issuer",
        subjectId: issuer.id,
        data: { invitationId: id, email: invitation.email },
        ip: ctx.ip,
      },
      now,
      rowExists(ctx.db, issuerInvitations, guard),
    ),
    ctx.db
      .update(issuerInvitations)
      .set({ status: "revoked", decidedAt: new Date(now) })
      .where(guard)
      .returning({ id: issuerInvitations.id }),
  ]);
  if (!revoked[0]) throw unavailable(await getInvitation(ctx, id), now) ?? new InvitationUnavailableError("unknown");
  return issuer;
}

/** The pending invitations of these issuers, newest first (expired ones too, so they can be resent). */
export function listPendingInvitations(ctx: Pick<AppContext, "db">, issuerIds: readonly string[]): Promise<IssuerInvitation[]> {
  return inSlices(issuerIds, (slice) =>
    ctx.db
      .select()
      .from(issuerInvitations)
      .where(and(inArray(issuerInvitations.issuerId, slice), eq(issuerInvitations.status, "pending")))
      .orderBy(asc(issuerInvitations.email))
      .all(),
  );
}

/** The invitation a link's token names, whatever its state; null for a token that names none. */
export async function getInvitationByToken(ctx: Pick<AppContext, "db">, token: string): Promise<IssuerInvitation | null> {
  if (!token || token.length > 100) return null;
  return (await ctx.db.query.issuerInvitations.findFirst({ where: eq(issuerInvitations.tokenHash, await sha256Hex(token)) })) ?? null;
}

/** The link's state as the invitation page shows it: `expired` for a pending one past its date. */
export function linkState(invitation: IssuerInvitation, now: number): InvitationState {
  return invitation.status === "pending" && invitation.expiresAt.getTime() <= now ? "expired" : invitation.status;
}
export type InvitationState = IssuerInvitation["status"] | "expired";

/** The conditions under which this link still works, checked by every statement of the batch that uses it. */
function usable(invitation: IssuerInvitation, now: number, extra?: SQL): SQL {
  return and(
    eq(issuerInvitations.id, invitation.id),
    eq(issuerInvitations.tokenHash, invitation.tokenHash),
    eq(issuerInvitations.status, "pending"),
    gt(issuerInvitations.expiresAt, new Date(now)),
    extra,
  )!;
}

/**
 * Joins the issuer in the invited role. The signed-in account must hold the invited address
 * as a verified email. Decided in one batch whose statements share the link's conditions, so
 * of two accepts at once one makes the membership and the other is told it was used.
 */
export async function acceptIssuerInvitation(ctx: AppContext, user: User, token: string): Promise<Issuer> {
  const now = ctx.now();
  const invitation = await getInvitationByToken(ctx, token);
  const closed = unavailable(invitation, now);
  if (closed || !invitation) throw closed ?? new InvitationUnavailableError("unknown");
  const holdsAddress = and(eq(emails.userId, user.id), eq(emails.address, invitation.email));
  const [held, role] = await Promise.all([
    ctx.db.select({ id: emails.id }).from(emails).where(holdsAddress).get(),
    getRole(ctx, invitation.issuerId, user.id),
  ]);
  if (!held) throw await addressError(ctx, user, invitation.email, now);
  if (role !== null) throw new InvitationUnavailableError("already-member");

  const guard = usable(invitation, now, rowExists(ctx.db, emails, holdsAddress));
  const wins = rowExists(ctx.db, issuerInvitations, guard);
  const [, , accepted] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: user.id,
        action: "issuer.invitation-accepted",
        subjectType: "issuer",
        subjectId: invitation.issuerId,
        data: { invitationId: invitation.id, userId: user.id, role: invitation.role },
        ip: ctx.ip,
      },
      now,
      wins,
    ),
    // A membership gained meanwhile (another invitation) is kept as it is.
    insertWhere(
      ctx.db,
      issuerMembers,
      { issuerId: invitation.issuerId, userId: user.id, role: invitation.role, createdAt: new Date(now) },
      wins,
    ).onConflictDoNothing(),
    ctx.db
      .update(issuerInvitations)
      .set({ status: "accepted", acceptedByUserId: user.id, decidedAt: new Date(now) })
      .where(guard)
      .returning({ id: issuerInvitations.id }),
  ]);
  if (!accepted[0]) {
    const current = await getInvitation(ctx, invitation.id);
    const reason =
      current && current.tokenHash !== invitation.tokenHash ? new InvitationUnavailableError("unknown") : unavailable(current, now);
    throw reason ?? (await addressError(ctx, user, invitation.email, now));
  }
  const issuer = await getIssuer(ctx, invitation.issuerId);
  if (!issuer) throw new Error(`issuer ${invitation.issuerId} of invitation ${invitation.id} is gone`);
  return issuer;
}

/** Says whether the account is waiting for the code that verifies the address, so the message says what to do next. */
async function addressError(ctx: Pick<AppContext, "db">, user: User, email: string, now: number): Promise<InvitationAddressError> {
  const code = await ctx.db.query.emailCodes.findFirst({
    where: and(eq(emailCodes.purpose, "add-email"), eq(emailCodes.address, email), gt(emailCodes.expiresAt, new Date(now))),
  });
  return new InvitationAddressError(email, (code?.payload as { userId?: string } | undefined)?.userId === user.id);
}

/** Anyone holding the link may decline it (it reached their mailbox); signed in or not. */
export async function declineIssuerInvitation(ctx: AppContext, token: string): Promise<IssuerInvitation> {
  const now = ctx.now();
  const invitation = await getInvitationByToken(ctx, token);
  const closed = unavailable(invitation, now);
  if (closed || !invitation) throw closed ?? new InvitationUnavailableError("unknown");
  const guard = usable(invitation, now);
  const [, declined] = await ctx.db.batch([
    auditInsertWhere(
      ctx.db,
      {
        actorUserId: ctx.user?.id ?? null,
        action: "issuer.invitation-declined",
        subjectType: "issuer",
        subjectId: invitation.issuerId,
        data: { invitationId: invitation.id, email: invitation.email },
        ip: ctx.ip,
      },
      now,
      rowExists(ctx.db, issuerInvitations, guard),
    ),
    ctx.db
      .update(issuerInvitations)
      .set({ status: "declined", decidedAt: new Date(now) })
      .where(guard)
      .returning(),
  ]);
  const done = declined[0];
  if (!done) throw unavailable(await getInvitation(ctx, invitation.id), now) ?? new InvitationUnavailableError("unknown");
  return done;
}
