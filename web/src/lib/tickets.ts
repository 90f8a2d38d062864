// Labels shared by the requester's pages and the staff desk.
export const TOPICS = [
  { value: "SIGN_IN_AND_SECURITY", label: "Sign-in and security" },
  { value: "BADGES", label: "Badges" },
  { value: "PATHWAYS", label: "Pathways" },
  { value: "MICRO_CREDENTIALS", label: "Micro-credentials" },
  { value: "OTHER", label: "Other" },
] as const;

export type TopicValue = (typeof TOPICS)[number]["value"];

export const topicLabel = (value: string) => TOPICS.find((t) => t.value === value)?.label ?? value;

/** As Zendesk shows them to a requester: pending means waiting for your reply. */
export const STATE_LABELS: Record<string, string> = {
  NEW: "Open",
  OPEN: "Open",
  PENDING: "Awaiting your reply",
  SOLVED: "Solved",
  CLOSED: "Closed",
};

export const DESK_STATE_LABELS: Record<string, string> = {
  NEW: "New",
  OPEN: "Open",
  PENDING: "Pending",
  SOLVED: "Solved",
  CLOSED: "Closed",
};

/**
 * Where "Submit a request" leads, telling the form the page it came from; from the request
 * pages themselves it keeps the page they were opened from, rather than naming themselves.
 */
export function requestPath(from?: string): string {
  if (from?.startsWith("/help/requests/new")) {
    const original = new URLSearchParams(from.split("?")[1] ?? "").get("from");
    return original ? requestPath(original) : "/help/requests/new";
  }
  return from ? `/help/requests/new?from=${encodeURIComponent(from)}` : "/help/requests/new";
}
