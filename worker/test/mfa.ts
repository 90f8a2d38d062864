import { env } from "cloudflare:workers";
import * as OTPAuth from "otpauth";
import { getConfig } from "../src/env";
import { insertAuthenticatorStatement, knownAuthenticator } from "../src/mfa/authenticators";
import { newRecoveryCode, storeRecoveryCodeStatement } from "../src/mfa/recovery-codes";
import { SIGN_IN } from "./accounts";
import type { TestClient } from "./client";
import { db } from "./fixtures";

// Codes in tests come from otpauth, an implementation independent of the server's own.
export function totp(secret: string, offsetSteps = 0): string {
  const generator = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret.replace(/\s/g, "")),
    algorithm: "SHA1",
    digits: 6,
    period: 30,
  });
  return generator.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

export const SIGN_IN_STEP = "... on SignInStep { status userId pendingExpiresAt }";
const ERRORS = "__typename ... on Error { message } ... on ValidationError { fieldErrors { field message } }";
const CODE_ERRORS = `${ERRORS} ... on InvalidCodeError { attemptsLeft } ... on RateLimitedError { retryAfterSeconds }`;

export const BEGIN_SETUP = `mutation { beginMfaSetup { ${ERRORS} ... on MfaEnrolment { qrCodeSvg secret accountName hasPassword } } }`;
export const CONFIRM_SETUP = `mutation ($code: String!) { confirmMfaSetup(code: $code) { ${ERRORS} ... on InvalidCodeError { attemptsLeft } ... on RecoveryCodeIssued { recoveryCode } } }`;
export const ACKNOWLEDGE = `mutation { acknowledgeRecoveryCode { ${ERRORS} ${SIGN_IN_STEP} } }`;
export const VERIFY_CODE = `mutation ($code: String!, $remember: Boolean!) { verifySignInCode(code: $code, rememberDevice: $remember) { ${CODE_ERRORS} ${SIGN_IN_STEP} } }`;
export const VERIFY_RECOVERY = `mutation ($code: String!) { verifyRecoveryCode(code: $code) { ${CODE_ERRORS} ... on RecoveryCodeIssued { recoveryCode } } }`;
export const PENDING = "{ pendingSignIn { stage expiresAt email } }";
export const MY_MFA = "{ myMfa { enabledAt recoveryCodeCreatedAt rememberedDevices { id current userAgent expiresAt } } }";

/**
 * Gives the user a confirmed authenticator and a recovery code, as if they had set up MFA,
 * for tests about something after set-up. Set-up itself is tested through the API.
 */
export async function enrolAuthenticator(user: { id: string }): Promise<{ secret: string; recoveryCode: string }> {
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  const now = Date.now();
  const recovery = await newRecoveryCode();
  const ctx = { db: db(), config: getConfig(env) };
  const authenticator = insertAuthenticatorStatement(ctx, await knownAuthenticator(ctx, user.id, secret, now));
  await db().batch([authenticator, storeRecoveryCodeStatement(ctx, user.id, recovery.hash, now)]);
  return { secret, recoveryCode: recovery.code };
}

/** Password, then a code: the whole sign-in of an enrolled user. Returns the final step. */
export async function signInWithCode(
  client: TestClient,
  user: { email: string; password: string },
  secret: string,
  options: { remember?: boolean; offsetSteps?: number } = {},
) {
  const first = (await client.gql(SIGN_IN, { email: user.email, password: user.password })).signIn;
  if (first.status === "SIGNED_IN") return first;
  if (first.status !== "SECOND_FACTOR_REQUIRED") throw new Error(`unexpected sign-in step ${JSON.stringify(first)}`);
  return (await client.gql(VERIFY_CODE, { code: totp(secret, options.offsetSteps ?? 0), remember: options.remember ?? false }))
    .verifySignInCode;
}
