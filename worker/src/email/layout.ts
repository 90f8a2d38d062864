import { escapeHtml } from "../lib/html";
// Every email is built from the same two-part layout: a plain-text body and the same
// content as simple, escaped HTML with one call-to-action button at most.
export interface EmailContent {
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** A code shown large and on its own line, e.g. a verification code. */
  code?: string;
  action?: { label: string; url: string };
  footer?: string;
}

export function renderEmail(to: string, content: EmailContent) {
  const footer = content.footer ?? "You received this email because of activity on your Laurel account.";
  const text = [
    content.greeting,
    "",
    ...content.paragraphs.flatMap((p) => [p, ""]),
    ...(content.code ? [`Your code: ${content.code}`, ""] : []),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ""] : []),
    "—",
    footer,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d2b36;max-width:560px;margin:auto;padding:24px">
<p style="font-size:20px;font-weight:600;color:#2c5f2d">Laurel</p>
<p>${escapeHtml(content.greeting)}</p>
${content.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
${content.code ? `<p style="font-size:28px;letter-spacing:6px;font-weight:700" data-code>${escapeHtml(content.code)}</p>` : ""}
${content.action ? `<p><a href="${escapeHtml(content.action.url)}" style="display:inline-block;background:#2c5f2d;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none">${escapeHtml(content.action.label)}</a></p>` : ""}
<hr style="border:none;border-top:1px solid #ddd"><p style="font-size:12px;color:#667">${escapeHtml(footer)}</p>
</body></html>`;
  return { to, subject: content.subject, text, html };
}
