/**
 * The credential of an `Authorization: Bearer …` header (RFC 6750 §2.1), or null when the
 * request has none. A malformed one is still returned, so it is refused (401) rather than the
 * request quietly falling back to its cookies.
 */
export function bearerTokenOf(header: string | undefined): string | null {
  const match = header?.match(/^Bearer(?:\s+(.*))?$/i);
  return match ? (match[1] ?? "").trim() : null;
}
