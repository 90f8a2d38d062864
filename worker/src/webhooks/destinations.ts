import type { Environment } from "../env";

// Where Laurel may POST. A webhook URL is chosen by an issuer's owner, so without these rules
// it could make Laurel call its own network (SSRF). Hosts are judged by name and literal
// address; names that resolve to private addresses are refused by the platform's own fetch.

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

function isPrivateAddress(host: string): boolean {
  if (LOOPBACK_HOSTS.has(host) || host.endsWith(".localhost") || host.endsWith(".local") || host.endsWith(".internal")) return true;
  if (host.startsWith("[")) return true; // Any IPv6 literal: legitimate receivers have names.
  const octets = host.split(".");
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o))) return false;
  const [a, b] = octets.map(Number) as [number, number];
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    a >= 224
  );
}

/**
 * Why Laurel will not deliver to `raw`, or null when it may: HTTPS to a public host, or in
 * development and tests also plain http to loopback, where the receivers of tests run.
 */
export function destinationProblem(raw: string, environment: Environment): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full web address, starting with https://.";
  }
  if (url.username || url.password) return "The address cannot carry a user name or password.";
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (loopback && environment !== "production") return url.protocol === "http:" || url.protocol === "https:" ? null : "Use https://.";
  if (url.protocol !== "https:") return "Use an https:// address.";
  if (isPrivateAddress(url.hostname)) return "Laurel delivers only to public addresses, not to private or loopback networks.";
  return null;
}
