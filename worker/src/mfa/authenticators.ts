import { and, eq, isNotNull, isNull, lt, or, type SQL } from "drizzle-orm";
import { renderSVG } from "uqr";
import type { AppContext } from "../context";
import { base64ToBytes } from "../lib/crypto";
import { newId } from "../lib/ids";
import { open, seal } from "../lib/secret-box";
import { base32Decode, groupsOf } from "./base32";
import { type Authenticator, authenticators } from "./mfa.table";
import { matchTotp, newTotpSecret, otpauthUri } from "./totp";

type Deps = Pick<AppContext, "db" | "config">;

export interface Enrolment {
  /** The otpauth:// URI as an SVG QR code: the URI itself never travels in a URL. */
  qrCodeSvg: string;
  /** Base32 in groups of four, for typing into an app ("Trouble scanning?"). */
  secret: string;
  accountName: string;
  /** At the first sign-in's set-up: whether the account has a password, or signs in only with Google or Microsoft. */
  hasPassword?: boolean;
}

export async function getActiveAuthenticator(ctx: Pick<AppContext, "db">, userId: string): Promise<Authenticator | null> {
  const row = await ctx.db.query.authenticators.findFirst({
    where: and(eq(authenticators.userId, userId), isNotNull(authenticators.confirmedAt)),
  });
  return row ?? null;
}

export async function getEnrolment(ctx: Pick<AppContext, "db">, userId: string): Promise<Authenticator | null> {
  const row = await ctx.db.query.authenticators.findFirst({
    where: and(eq(authenticators.userId, userId), isNull(authenticators.confirmedAt)),
  });
  return row ?? null;
}

/** A new, unconfirmed authenticator for the user; any earlier unfinished one is dropped. */
export async function beginEnrolment(ctx: Deps, userId: string, accountName: string, now: number): Promise<Enrolment> {
  const id = newId();
  const secret = newTotpSecret();
  const secretBox = await seal(base64ToBytes(ctx.config.mfaEncryptionKey), secret, id);
  await ctx.db.batch([
    ctx.db.delete(authenticators).where(and(eq(authenticators.userId, userId), isNull(authenticators.confirmedAt))),
    ctx.db.insert(authenticators).values({ id, userId, secretBox, createdAt: new Date(now) }),
  ]);
  return { qrCodeSvg: renderSVG(otpauthUri(accountName, secret), { ecc: "M", border: 2 }), secret: groupsOf(secret, 4), accountName };
}

/**
 * The row of a confirmed authenticator with a known secret: for the development seed (and
 * fixtures), where the person already has the secret in an app. Sealing is async, so this
 * returns values; `insertAuthenticatorStatement` makes the (unexecuted) insert for a batch.
 */
export async function knownAuthenticator(ctx: Deps, userId: string, secret: string, now: number): Promise<Authenticator> {
  const id = newId();
  const secretBox = await seal(base64ToBytes(ctx.config.mfaEncryptionKey), secret, id);
  return { id, userId, secretBox, lastUsedStep: null, confirmedAt: new Date(now), createdAt: new Date(now) };
}

export const insertAuthenticatorStatement = (ctx: Pick<AppContext, "db">, row: Authenticator) => ctx.db.insert(authenticators).values(row);

export type CodeCheck = "accepted" | "wrong" | "replayed";

/**
 * Checks a 6-digit code against the authenticator. An accepted code records its time step in
 * the same conditional UPDATE that accepts it, so a code (or an older one) is accepted once,
 * even when two requests race with it.
 */
export async function checkCode(ctx: Deps, authenticator: Authenticator, code: string, now: number): Promise<CodeCheck> {
  const secret = await open(base64ToBytes(ctx.config.mfaEncryptionKey), authenticator.secretBox, authenticator.id);
  const step = await matchTotp(base32Decode(secret), code, now);
  if (step === null) return "wrong";
  const accepted = await ctx.db
    .update(authenticators)
    .set({ lastUsedStep: step })
    .where(and(eq(authenticators.id, authenticator.id), or(isNull(authenticators.lastUsedStep), lt(authenticators.lastUsedStep, step))))
    .returning({ id: authenticators.id });
  return accepted.length > 0 ? "accepted" : "replayed";
}

/** Statements that make `enrolment` the user's only authenticator, for the caller's batch. */
export function confirmEnrolmentStatements(ctx: Pick<AppContext, "db">, enrolment: Authenticator, now: number) {
  return [
    ctx.db.delete(authenticators).where(and(eq(authenticators.userId, enrolment.userId), isNotNull(authenticators.confirmedAt))),
    ctx.db
      .update(authenticators)
      .set({ confirmedAt: new Date(now) })
      .where(eq(authenticators.id, enrolment.id)),
  ] as const;
}

/** `when` makes the delete conditional inside its batch (a merge that another one beat deletes nothing). */
export function deleteAuthenticatorsStatement(ctx: Pick<AppContext, "db">, userId: string, when?: SQL) {
  return ctx.db.delete(authenticators).where(and(eq(authenticators.userId, userId), when));
}
