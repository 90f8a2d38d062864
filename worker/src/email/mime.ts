import type { EmailMessage } from "./message";

// Cloudflare's send_email binding takes a raw RFC 5322 message; a multipart/alternative
// body carries both parts so every client shows one of them.
export function buildMime(from: string, message: EmailMessage, messageId: string, date: Date): string {
  const boundary = `laurel-${crypto.randomUUID()}`;
  return [
    `From: ${from}`,
    `To: ${message.to}`,
    `Subject: ${encodeHeader(message.subject)}`,
    `Date: ${date.toUTCString()}`,
    `Message-ID: <${messageId}>`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(message.text),
    `--${boundary}`,
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64Lines(message.html),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?utf-8?B?${utf8Base64(value)}?=`;
}

function utf8Base64(value: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(value)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64Lines(value: string): string {
  return utf8Base64(value).replace(/.{76}/g, "$&\r\n");
}
