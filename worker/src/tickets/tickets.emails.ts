import { renderEmail } from "../email/layout";

const FOOTER = "You received this email because a support request was sent to Laurel with this address.";

export const ticketUrl = (appUrl: string, ticketId: string, token: string) =>
  `${appUrl}/help/requests/${encodeURIComponent(ticketId)}?token=${encodeURIComponent(token)}`;

/** The same email whether or not the address has an account: nothing tells the two apart. */
export function ticketCodeEmail(to: string, code: string) {
  return renderEmail(to, {
    subject: "Confirm your Laurel support request",
    greeting: "Hello,",
    paragraphs: ["Enter this code on the “Submit a request” page to send your request to Laurel support. It works for 10 minutes."],
    code,
    footer: "If you did not ask for help, ignore this email: nothing is sent without the code.",
  });
}

export function ticketReceivedEmail(to: string, subject: string, url: string, followUpOf: string | null) {
  return renderEmail(to, {
    subject: `Request received: ${subject}`,
    greeting: "Hello,",
    paragraphs: [
      followUpOf
        ? `Your earlier request “${followUpOf}” was closed, so your reply started this follow-up request. Laurel support will answer here.`
        : "Thank you for contacting Laurel support. We have your request and will answer by email.",
      "Use the link below to read the conversation and reply; keep it to yourself, it opens your request without signing in.",
    ],
    action: { label: "View your request", url },
    footer: FOOTER,
  });
}

export function ticketReplyEmail(to: string, subject: string, url: string, replyText: string) {
  return renderEmail(to, {
    subject: `New reply: ${subject}`,
    greeting: "Hello,",
    paragraphs: ["Laurel support replied to your request:", replyText],
    action: { label: "View and reply", url },
    footer: FOOTER,
  });
}
