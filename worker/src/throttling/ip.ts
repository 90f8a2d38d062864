/**
 * The network a request counts against. An IPv4 address is one network; an IPv6 address
 * counts by its /64, since one subscriber is usually given a whole /64 and could otherwise
 * rotate through addresses for free. Without an address (no Cloudflare header) every such
 * request shares one bucket.
 */
export function ipBucket(ip: string | null): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const groups = expandIpv6(ip);
  return groups ? `${groups.slice(0, 4).join(":")}::/64` : ip.toLowerCase();
}

function expandIpv6(ip: string): string[] | null {
  const address = ip.toLowerCase().split("%")[0]!;
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part ? part.split(":") : []);
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) takes two groups.
  const last = tail.at(-1) ?? head.at(-1);
  const v4 = last?.includes(".") ? 1 : 0;
  const missing = 8 - head.length - tail.length - v4;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!groups.slice(0, 4).every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => (g.includes(".") ? g : g.replace(/^0+(?=.)/, "")));
}
