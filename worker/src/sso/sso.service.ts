import { and, eq } from "drizzle-orm";
import { getAccountHolding, getUserById } from "../accounts/accounts.service";
import { emails, type User, users } from "../accounts/accounts.table";
import { newAccountInserts } from "../accounts/new-account";
import { auditInsert } from "../audit/audit";
import { completeFirstFactor } from "../auth/sign-in.service";
import type { SignInStep } from "../auth/sign-in-step";
import type { AppContext } from "../context";
import { emailIntent } from "../email/queued-email";
import { ForbiddenError, NotFoundError } from "../lib/errors";
import { afterCommit } from "../outbox/enqueue";
import { consumeFlow, type SsoPurpose, storeFlow } from "./flows";
import { deleteIdentityIfNotLast, findIdentity, identityInsert, linkIdentity, listIdentities, touchIdentity } from "./identities";
import { authorizationUrl, exchangeCode, type IdClaims, redirectUri, validateIdToken } from "./oidc";
import { discover, type SsoProviderConfig } from "./providers";
import { identityLinkedByEmailEmail } from "./sso.emails";
import type { SsoIdentity } from "./sso.table";
import { SsoError } from "./sso-error";

export type SsoOutcome = { kind: "sign-in"; step: SignInStep; returnTo: string } | { kind: "linked"; returnTo: string };

/** Stores the flow and returns the provider's authorization URL to redirect the browser to. */
export async function startSsoFlow(
  ctx: AppContext,
  provider: SsoProviderConfig,
  options: { purpose: SsoPurpose; returnTo: string },
): Promise<string> {
  const userId = options.purpose === "link" ? (ctx.user?.id ?? null) : null;
  if (options.purpose === "link" && !userId) throw new SsoError("sign-in-required", "link without a session");
  const discovery = await discover(provider, ctx.now());
  const flow = await storeFlow(ctx, {
    provider: provider.name,
    purpose: options.purpose,
    userId,
    returnTo: options.returnTo,
  });
  return authorizationUrl(discovery, provider, { ...flow, redirectUri: redirectUri(ctx.config.appUrl, provider) });
}

/** Handles the provider's callback: consumes the flow, checks the ID token, then signs in or links. */
export async function finishSsoFlow(
  ctx: AppContext,
  provider: SsoProviderConfig,
  callback: { code?: string; state?: string; error?: string },
): Promise<SsoOutcome> {
  const flow = await consumeFlow(ctx, provider.name, callback.state);
  const failLink = (code: SsoError["code"], message: string) => new SsoError(code, message, flow.purpose === "link" ? flow.returnTo : null);
  if (callback.error) throw failLink(callback.error === "access_denied" ? "denied" : "invalid", `provider answered ${callback.error}`);
  if (!callback.code) throw failLink("invalid", "callback without code");
  const discovery = await discover(provider, ctx.now());
  const uri = redirectUri(ctx.config.appUrl, provider);
  let claims: IdClaims;
  try {
    const idToken = await exchangeCode(discovery, provider, { code: callback.code, redirectUri: uri, codeVerifier: flow.codeVerifier });
    claims = await validateIdToken(discovery, provider, idToken, { nonce: flow.nonce, now: ctx.now() });
  } catch (error) {
    if (error instanceof SsoError) throw failLink(error.code, error.message);
    throw error;
  }
  if (flow.purpose === "link") {
    // The session that asked to link must still be the one that comes back.
    if (!ctx.user || ctx.user.id !== flow.userId) throw failLink("sign-in-required", "the session changed during the link");
    await linkToUser(ctx, provider, ctx.user, claims, flow.returnTo);
    return { kind: "linked", returnTo: flow.returnTo };
  }
  const user = await userForSignIn(ctx, provider, claims);
  return { kind: "sign-in", step: await completeFirstFactor(ctx, user, provider.name), returnTo: flow.returnTo };
}

async function linkToUser(ctx: AppContext, provider: SsoProviderConfig, user: User, claims: IdClaims, returnTo: string) {
  const existing = await findIdentity(ctx, claims.issuer, claims.subject);
  if (existing && existing.userId !== user.id) {
    throw new SsoError("identity-taken", `${provider.name} identity ${claims.subject} belongs to another account`, returnTo);
  }
  if (existing) await touchIdentity(ctx, existing, claims);
  else await linkIdentity(ctx, user.id, provider.name, claims, "sso.linked");
}

/**
 * Who signs in. The identity (issuer, subject) decides when known. Otherwise an email the
 * provider has verified may link to, or create, an account; an unverified one never does,
 * or anyone who can name an address at a provider could take over its account (nOAuth).
 */
async function userForSignIn(ctx: AppContext, provider: SsoProviderConfig, claims: IdClaims): Promise<User> {
  const identity = await findIdentity(ctx, claims.issuer, claims.subject);
  if (identity) {
    const user = await getUserById(ctx, identity.userId);
    if (user?.status !== "active") throw new SsoError("invalid", `identity ${identity.id} belongs to a closed account`);
    await touchIdentity(ctx, identity, claims);
    return user;
  }
  const existing = claims.email ? await getAccountHolding(ctx, claims.email) : null;
  if (existing && !claims.emailVerified) {
    throw new SsoError("link-with-password", `${provider.name} has not verified ${claims.email}, which has an account`);
  }
  if (existing?.status === "closed") return reopenAccount(ctx, provider, claims, existing);
  if (existing) {
    const notice = await linkedNotice(ctx, provider, claims, existing);
    await linkIdentity(ctx, existing.id, provider.name, claims, "sso.linked-by-email", [notice.statement]);
    afterCommit(ctx, [notice.id]);
    return existing;
  }
  if (!claims.email || !claims.emailVerified) throw new SsoError("unverified-email", `${provider.name} sent no verified email`);
  return createAccount(ctx, provider, claims, claims.email);
}

async function createAccount(ctx: AppContext, provider: SsoProviderConfig, claims: IdClaims, email: string): Promise<User> {
  const now = ctx.now();
  const { firstName, lastName } = namesFrom(claims, email);
  const { userId, statements } = newAccountInserts(
    ctx.db,
    // Choosing "Continue with …" on the sign-in page, beside the terms, is the acceptance.
    { firstName, lastName, email, passwordHash: null, termsVersion: ctx.config.termsVersion, termsAcceptedAt: now },
    now,
  );
  await ctx.db.batch([
    ...statements,
    identityInsert(ctx, userId, provider.name, claims, now),
    auditInsert(
      ctx.db,
      {
        actorUserId: userId,
        action: "account.registered",
        subjectType: "user",
        subjectId: userId,
        data: { email, via: provider.name, issuer: claims.issuer, subject: claims.subject },
        ip: ctx.ip,
      },
      now,
    ),
  ]);
  const user = await getUserById(ctx, userId);
  if (!user) throw new Error(`account ${userId} vanished after creation`);
  return user;
}

/**
 * The owner hears of the link at their primary address (a closed account may have none left:
 * then at the verified one), from an outbox intent in the link's own batch.
 */
async function linkedNotice(ctx: AppContext, provider: SsoProviderConfig, claims: IdClaims, owner: User) {
  const address = claims.email ?? "";
  const primary = await ctx.db.query.emails.findFirst({ where: and(eq(emails.userId, owner.id), eq(emails.isPrimary, true)) });
  const message = identityLinkedByEmailEmail(primary?.address ?? address, ctx.config.appUrl, owner.firstName, provider.label, address);
  return emailIntent(ctx, message, ctx.now());
}

/** A closed account still holding the verified address (see getAccountHolding): reopened and linked at once. */
async function reopenAccount(ctx: AppContext, provider: SsoProviderConfig, claims: IdClaims, holder: User): Promise<User> {
  const now = ctx.now();
  const notice = await linkedNotice(ctx, provider, claims, holder);
  const [reopened] = await ctx.db.batch([
    ctx.db
      .update(users)
      .set({ status: "active", updatedAt: new Date(now) })
      .where(and(eq(users.id, holder.id), eq(users.status, "closed")))
      .returning(),
    identityInsert(ctx, holder.id, provider.name, claims, now),
    auditInsert(
      ctx.db,
      {
        actorUserId: holder.id,
        action: "account.reopened",
        subjectType: "user",
        subjectId: holder.id,
        data: { via: provider.name, issuer: claims.issuer, subject: claims.subject },
        ip: ctx.ip,
      },
      now,
    ),
    notice.statement,
  ]);
  afterCommit(ctx, [notice.id]);
  return reopened[0] ?? holder;
}

function namesFrom(claims: IdClaims, email: string): { firstName: string; lastName: string } {
  const clip = (s: string) => s.slice(0, 100);
  if (claims.givenName) return { firstName: clip(claims.givenName), lastName: clip(claims.familyName ?? "") };
  if (claims.name) {
    const space = claims.name.lastIndexOf(" ");
    return space > 0
      ? { firstName: clip(claims.name.slice(0, space)), lastName: clip(claims.name.slice(space + 1)) }
      : { firstName: clip(claims.name), lastName: "" };
  }
  return { firstName: clip(email.split("@")[0] ?? email), lastName: "" };
}

export function mySsoIdentities(ctx: AppContext, user: User): Promise<SsoIdentity[]> {
  return listIdentities(ctx, user.id);
}

/** Removes a linked identity, unless the account would be left with no way to sign in. */
export async function unlinkIdentity(ctx: AppContext, user: User, identityId: string): Promise<SsoIdentity> {
  const deleted = await deleteIdentityIfNotLast(ctx, user.id, identityId);
  if (!deleted) {
    const owned = (await listIdentities(ctx, user.id)).some((i) => i.id === identityId);
    if (!owned) throw new NotFoundError("That sign-in method is not linked to your account.");
    throw new ForbiddenError("This is the only way to sign in to your account. Set a password or link another account first.");
  }
  // After the delete: an entry for an unlink that did not happen would mislead more than a missing one.
  await ctx.db.batch([
    auditInsert(
      ctx.db,
      {
        actorUserId: user.id,
        action: "sso.unlinked",
        subjectType: "user",
        subjectId: user.id,
        data: { provider: deleted.provider, issuer: deleted.issuer, subject: deleted.subject },
        ip: ctx.ip,
      },
      ctx.now(),
    ),
  ]);
  return deleted;
}
