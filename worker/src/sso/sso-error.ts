/**
 * Why a single sign-on round trip failed, as the short code the SPA shows a message for
 * (`/sign-in?ssoError=<code>`). The message is for logs; the browser only sees the code.
 */
export type SsoErrorCode =
  | "denied"
  | "expired"
  | "invalid"
  | "unavailable"
  | "unknown-provider"
  | "sign-in-required"
  | "unverified-email"
  | "link-with-password"
  | "identity-taken";

export class SsoError extends Error {
  override name = "SsoError";
  constructor(
    readonly code: SsoErrorCode,
    message: string = code,
    /** Where the browser goes with the code: the settings page for a failed link. */
    readonly returnTo: string | null = null,
  ) {
    super(message);
  }
}
