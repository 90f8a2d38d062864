// The expected refusals of an invitation link, each with what the person can do about it.

export const UNAVAILABLE_REASONS = ["unknown", "expired", "revoked", "replaced", "accepted", "declined", "already-member"] as const;
export type UnavailableReason = (typeof UNAVAILABLE_REASONS)[number];

const MESSAGES: Record<UnavailableReason, string> = {
  unknown:
    "This invitation link does not work: it was replaced by a newer email, or it was mistyped. Use the link in the newest invitation email.",
  expired: "This invitation has expired. Ask the issuer's owner to send it again.",
  revoked: "This invitation was withdrawn by the issuer's owner.",
  replaced: "A newer invitation was sent to this address. Use the link in the newest email.",
  accepted: "This invitation was already accepted.",
  declined: "This invitation was declined.",
  "already-member": "You are already a member of this issuer. An owner can change your role.",
};

/** The link can no longer be accepted or declined; `reason` says why. */
export class InvitationUnavailableError extends Error {
  override name = "InvitationUnavailableError";
  constructor(readonly reason: UnavailableReason) {
    super(MESSAGES[reason]);
  }
}

/** The signed-in account does not hold the invited address as a verified email. */
export class InvitationAddressError extends Error {
  override name = "InvitationAddressError";
  constructor(
    readonly email: string,
    readonly awaitingCode: boolean,
  ) {
    super(
      awaitingCode
        ? `This invitation is for ${email}, which your account has not verified yet. Enter the code we emailed to ${email} under Account › Emails, then accept again.`
        : `This invitation is for ${email}. Add ${email} to your account under Account › Emails and verify it, or sign in with the account that uses it, then accept again.`,
    );
  }
}
