import { HOUR, MINUTE } from "../lib/time";
import { ipBucket } from "./ip";

/** A named limit: what `reserveAttempt` enforces for every key built from it. */
export interface AttemptPolicy {
  /** Also the first part of its keys. */
  name: string;
  /** Attempts a key allows per window; the attempt that reaches it starts the pause. */
  limit: number;
  windowMs: number;
  /** How long the key refuses once the limit is reached; a fresh window starts after. */
  pauseMs: number;
  /** What a right guess does to the key (see `settleSuccessStatements`). */
  onSuccess: "clear" | "release" | "keep";
  /** The refusal, around "N minutes". */
  pausedMessage(duration: string): string;
}

/** One key of one policy. */
export interface AttemptKey {
  policy: AttemptPolicy;
  key: string;
}

/**
 * The policy `name`: `limit` attempts per window of `per` ms; the attempt that reaches the limit
 * pauses the key for `pause` ms (the window's length unless given).
 */
function attemptPolicy(
  name: string,
  { limit, per, pause = per, onSuccess }: { limit: number; per: number; pause?: number; onSuccess: AttemptPolicy["onSuccess"] },
  pausedMessage: AttemptPolicy["pausedMessage"],
): AttemptPolicy {
  return { name, limit, windowMs: per, pauseMs: pause, onSuccess, pausedMessage };
}

// Parts are URI-encoded, so ":" only ever separates them and a key prefix names exactly one address.
const keyOf = (policy: AttemptPolicy, ...parts: string[]): AttemptKey => ({
  policy,
  key: [policy.name, ...parts.map(encodeURIComponent)].join(":"),
});

const signInPaused = (duration: string) =>
  `Too many unsuccessful sign-in attempts. Sign-in is paused for ${duration}; you can also reset your password.`;
const codeEntryPaused = (duration: string) => `Too many wrong codes. Code entry is paused for ${duration}.`;

// ---- Passwords -----------------------------------------------------------------------------
// Sign-in counts by what the visitor types (the address), never by whether it has an
// account, so an unknown address is throttled exactly like a known one.

/** Guesses at one address from one network: what stops an attacker without locking out the owner elsewhere. */
export const PASSWORD_PER_ADDRESS_AND_IP = attemptPolicy(
  "password:address-ip",
  { limit: 10, per: 15 * MINUTE, onSuccess: "clear" },
  signInPaused,
);

/** Guesses from one network across every address (credential stuffing). */
export const PASSWORD_PER_IP = attemptPolicy("password:ip", { limit: 50, per: 15 * MINUTE, onSuccess: "release" }, signInPaused);

/**
 * A ceiling per address whatever the network, against guessing spread over many IPs. It does
 * not keep the owner out: a remembered device or an emailed sign-in link has keys of its own.
 */
export const PASSWORD_PER_ADDRESS = attemptPolicy(
  "password:address",
  { limit: 100, per: HOUR, onSuccess: "release" },
  (duration) =>
    `Too many unsuccessful sign-in attempts for this address. Sign-in with its password is paused for ${duration}, except on remembered devices; if it is your account, ask for a sign-in link by email, or reset your password.`,
);

/** The keys a password guess at `address` reserves. */
export function passwordKeys(address: string, ip: string | null): AttemptKey[] {
  const network = ipBucket(ip);
  return [keyOf(PASSWORD_PER_ADDRESS_AND_IP, address, network), keyOf(PASSWORD_PER_IP, network), keyOf(PASSWORD_PER_ADDRESS, address)];
}

/**
 * Guesses through one remembered device: it holds a secret token only the owner's browser
 * has, so its guesses need neither the network's nor the address's budget. That is what
 * keeps the owner in while strangers have spent those.
 */
export const PASSWORD_ON_REMEMBERED_DEVICE = attemptPolicy(
  "password:device",
  { limit: 10, per: 15 * MINUTE, onSuccess: "clear" },
  signInPaused,
);
export const passwordOnDeviceKey = (deviceId: string) => keyOf(PASSWORD_ON_REMEMBERED_DEVICE, deviceId);

/** Guesses with one emailed sign-in link (single-use, 30 minutes): the owner's way past the address's ceiling. */
export const PASSWORD_WITH_SIGN_IN_LINK = attemptPolicy(
  "password:link",
  { limit: 5, per: 30 * MINUTE, onSuccess: "keep" },
  (duration) =>
    `Too many wrong passwords with this sign-in link: it is paused for ${duration}. Ask for a new link, or reset your password.`,
);
export const passwordWithLinkKey = (linkTokenHash: string) => keyOf(PASSWORD_WITH_SIGN_IN_LINK, linkTokenHash);

/** What a password reset forgets about one address: its key on every network, and its ceiling. */
export const passwordKeysOfAddress = (address: string) => ({
  prefix: `${keyOf(PASSWORD_PER_ADDRESS_AND_IP, address).key}:`,
  ceiling: keyOf(PASSWORD_PER_ADDRESS, address),
});

/** At most one "someone is guessing your password" email per address an hour. */
export const PASSWORD_PAUSE_NOTICE = attemptPolicy(
  "notice:password-paused",
  { limit: 1, per: HOUR, onSuccess: "keep" },
  (duration) => `A notice was sent; the next can go in ${duration}.`,
);
export const passwordPauseNoticeKey = (address: string) => keyOf(PASSWORD_PAUSE_NOTICE, address);

// ---- Second factor -------------------------------------------------------------------------

/** Wrong authenticator or recovery codes per account, from whatever sign-in or form they come. */
export const SECOND_FACTOR_PER_ACCOUNT = attemptPolicy(
  "second-factor:account",
  { limit: 10, per: 15 * MINUTE, onSuccess: "clear" },
  codeEntryPaused,
);
export const secondFactorKey = (userId: string) => keyOf(SECOND_FACTOR_PER_ACCOUNT, userId);

/** Codes per pending sign-in: the fifth wrong one ends it. */
// Outlives any pending sign-in (15 minutes at most).
export const SECOND_FACTOR_PER_SIGN_IN = attemptPolicy(
  "second-factor:sign-in",
  { limit: 5, per: 20 * MINUTE, onSuccess: "keep" },
  () => "Too many wrong codes. Sign in again to try once more.",
);
export const pendingSignInKey = (pendingTokenHash: string) => keyOf(SECOND_FACTOR_PER_SIGN_IN, pendingTokenHash);

// ---- Emailed codes -------------------------------------------------------------------------

/** Tries per emailed code: the fifth wrong one kills it. Issuing a new code clears the key. */
// A code lives 10 minutes; the key must not reset before it dies.
export const EMAIL_CODE_TRIES = attemptPolicy(
  "email-code:tries",
  { limit: 5, per: 15 * MINUTE, onSuccess: "clear" },
  () => "Too many wrong tries: this code no longer works. Ask for a new code.",
);

/** Emailed-code guesses from one network across every address. */
export const EMAIL_CODE_TRIES_PER_IP = attemptPolicy(
  "email-code:ip",
  { limit: 30, per: 15 * MINUTE, onSuccess: "release" },
  (duration) => `Too many wrong codes from your network. Try again in ${duration}.`,
);

export const emailCodeTriesKey = (purpose: string, address: string) => keyOf(EMAIL_CODE_TRIES, purpose, address);
export const emailCodeKeys = (purpose: string, address: string, ip: string | null) => [
  emailCodeTriesKey(purpose, address),
  keyOf(EMAIL_CODE_TRIES_PER_IP, ipBucket(ip)),
];

/** One code a minute per address and purpose: a short backoff, never a wall. */
export const CODE_SENDS_PER_ADDRESS = attemptPolicy(
  "email-code:send",
  { limit: 1, per: MINUTE, onSuccess: "keep" },
  (duration) => `We just sent a code. You can ask for another in ${duration}.`,
);

/** Five codes in a row, then a few minutes' pause: keeps a mailbox from being flooded. */
export const CODE_BURSTS_PER_ADDRESS = attemptPolicy(
  "email-code:burst",
  { limit: 5, per: 15 * MINUTE, pause: 5 * MINUTE, onSuccess: "keep" },
  (duration) => `We sent several codes to this address. You can ask for another in ${duration}.`,
);

/**
 * Codes asked for from one network, whatever the address: against using Laurel to mail many
 * strangers. High enough for a whole cohort registering in one workshop behind a campus NAT,
 * which is how educators often meet Laurel; one mailbox is protected by the keys above.
 */
export const CODE_SENDS_PER_IP = attemptPolicy(
  "email-code:send-ip",
  { limit: 100, per: 15 * MINUTE, onSuccess: "keep" },
  (duration) => `Too many codes were asked for from your network. Try again in ${duration}.`,
);

export const codeSendKeys = (purpose: string, address: string, ip: string | null) => [
  keyOf(CODE_SENDS_PER_ADDRESS, purpose, address),
  keyOf(CODE_BURSTS_PER_ADDRESS, purpose, address),
  keyOf(CODE_SENDS_PER_IP, ipBucket(ip)),
];

// ---- Help centre ---------------------------------------------------------------------------

const feedbackPaused = (duration: string) => `You have sent a lot of feedback in a short time. You can send more in ${duration}.`;

/** Article feedback from one reader (a signed-in user, or one visitor cookie). */
export const HELP_FEEDBACK_PER_READER = attemptPolicy("help-feedback:reader", { limit: 5, per: HOUR, onSuccess: "keep" }, feedbackPaused);

/** Article feedback from one network: a reader who drops the cookie is still one network. */
export const HELP_FEEDBACK_PER_IP = attemptPolicy("help-feedback:ip", { limit: 20, per: HOUR, onSuccess: "keep" }, feedbackPaused);

export const helpFeedbackKeys = (readerKey: string, ip: string | null) => [
  keyOf(HELP_FEEDBACK_PER_READER, readerKey),
  keyOf(HELP_FEEDBACK_PER_IP, ipBucket(ip)),
];

// ---- Pathway invitations -------------------------------------------------------------------
// Each invitation is an email to an address the issuer typed: these keep Laurel from being a
// way to mail strangers in bulk. One request carries a whole cohort's CSV (up to 500
// addresses), so they count requests, and leave room for inviting late joiners one by one.

const invitationsPaused = (duration: string) => `You have sent many invitations in a short time. You can send more in ${duration}.`;

/** Invitation requests by one member of an issuer, whatever the pathway. */
export const PATHWAY_INVITES_PER_INVITER = attemptPolicy(
  "pathway-invite:inviter",
  { limit: 60, per: HOUR, onSuccess: "keep" },
  invitationsPaused,
);

/** Invitation requests for one issuer's pathways, by all its members together. */
export const PATHWAY_INVITES_PER_ISSUER = attemptPolicy(
  "pathway-invite:issuer",
  { limit: 200, per: HOUR, onSuccess: "keep" },
  invitationsPaused,
);

export const pathwayInviteKeys = (issuerId: string, inviterId: string) => [
  keyOf(PATHWAY_INVITES_PER_INVITER, inviterId),
  keyOf(PATHWAY_INVITES_PER_ISSUER, issuerId),
];

// ---- OAuth client secrets ------------------------------------------------------------------
// The token endpoint counts by the client_id it is given, whether or not such a client exists,
// so an unknown id is throttled exactly like a known one.

const clientSecretPaused = (duration: string) => `Too many wrong client secrets. The token endpoint is paused for ${duration}.`;

/** Guesses at one client's secret from one network: what stops a guesser without stopping the integration elsewhere. */
export const CLIENT_SECRET_PER_CLIENT_AND_IP = attemptPolicy(
  "client-secret:client-ip",
  { limit: 10, per: 15 * MINUTE, onSuccess: "clear" },
  clientSecretPaused,
);

/** Secret guesses from one network across every client. */
export const CLIENT_SECRET_PER_IP = attemptPolicy(
  "client-secret:ip",
  { limit: 50, per: 15 * MINUTE, onSuccess: "release" },
  clientSecretPaused,
);

/** A ceiling per client whatever the network, against guessing spread over many addresses. */
export const CLIENT_SECRET_PER_CLIENT = attemptPolicy(
  "client-secret:client",
  { limit: 100, per: HOUR, onSuccess: "release" },
  clientSecretPaused,
);

/** The keys a client_secret check for `clientId` reserves. */
export function clientSecretKeys(clientId: string, ip: string | null): AttemptKey[] {
  const network = ipBucket(ip);
  return [
    keyOf(CLIENT_SECRET_PER_CLIENT_AND_IP, clientId, network),
    keyOf(CLIENT_SECRET_PER_IP, network),
    keyOf(CLIENT_SECRET_PER_CLIENT, clientId),
  ];
}

// ---- Support tickets -----------------------------------------------------------------------

const ticketsPaused = (duration: string) =>
  `You have sent several requests in a short time. You can send another in ${duration}; you can still reply to the ones you sent.`;

/** New requests from one requester (a signed-in user, or one typed address). */
export const TICKETS_PER_REQUESTER = attemptPolicy("tickets:requester", { limit: 5, per: HOUR, onSuccess: "keep" }, ticketsPaused);

/** New requests from one network, whatever the address: against spam through the form. */
export const TICKETS_PER_IP = attemptPolicy("tickets:ip", { limit: 20, per: HOUR, onSuccess: "keep" }, ticketsPaused);

export const ticketSubmitKeys = (requesterKey: string, ip: string | null) => [
  keyOf(TICKETS_PER_REQUESTER, requesterKey),
  keyOf(TICKETS_PER_IP, ipBucket(ip)),
];

/** Requester replies on one ticket. */
export const TICKET_REPLIES = attemptPolicy(
  "tickets:replies",
  { limit: 30, per: HOUR, onSuccess: "keep" },
  (duration) => `You have replied many times in a short time. You can reply again in ${duration}.`,
);
export const ticketReplyKey = (ticketId: string) => keyOf(TICKET_REPLIES, ticketId);
