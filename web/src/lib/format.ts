/** Dates as people read them; badges carry calendar dates, so no time of day. */
export const formatDate = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }) : "—";

export const STATUS_LABELS: Record<string, string> = {
  PENDING: "New",
  ACCEPTED: "Accepted",
  REVOKED: "Revoked",
  EXPIRED: "Expired",
};

/** Tells apart two badges of the same class: when, and to which of the learner's addresses. */
export const awardedLine = (award: { issuedOn: string; recipientEmail: string }) =>
  `Issued ${formatDate(award.issuedOn)} to ${award.recipientEmail}`;
