import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Where a webhook may be sent (docs/webhooks.md, "Which addresses"): `https:` URLs only, and never to an address
 * inside a private network (loopback, RFC 1918, link-local and the cloud metadata address, unique-local, CGNAT,
 * multicast, reserved) unless WEBHOOK_ALLOWED_HOSTS names the host or the address. Every address a name
 * resolves to is checked, and the request is then made to the address checked (lib/webhooks/send.ts), so a
 * second DNS answer cannot swap it.
 */
export const MAX_URL_LENGTH = 2048;

/** Why a URL may not be used, in a sentence, or null. The syntax only: no DNS. */
export function webhookUrlProblem(text: string): string | null {
  if (text.length > MAX_URL_LENGTH) return `Use a URL of at most ${MAX_URL_LENGTH} characters.`;
  if (!URL.canParse(text)) return "Enter a full URL such as https://hooks.example.com/statements.";
  const url = new URL(text);
  if (url.protocol !== "https:") return "Use an https:// URL: deliveries are only sent over TLS.";
  if (url.username || url.password)
    return "Leave user names and passwords out of the URL: deliveries are signed instead.";
  if (url.hash) return "Leave the #fragment out of the URL: it is never sent.";
  if (!url.hostname) return "The URL needs a host name.";
  return null;
}

const RANGES: [label: string, ranges: [network: string, prefix: number][]][] = [
  [
    "a loopback",
    [
      ["127.0.0.0", 8],
      ["::1", 128],
    ],
  ],
  [
    "a private (RFC 1918)",
    [
      ["10.0.0.0", 8],
      ["172.16.0.0", 12],
      ["192.168.0.0", 16],
    ],
  ],
  [
    "a link-local",
    [
      ["169.254.0.0", 16],
      ["fe80::", 10],
    ],
  ],
  [
    "a unique-local",
    [
      ["fc00::", 7],
      ["fec0::", 10],
    ],
  ],
  ["a shared (CGNAT)", [["100.64.0.0", 10]]],
  [
    "an unspecified",
    [
      ["0.0.0.0", 8],
      ["::", 128],
    ],
  ],
  [
    "a multicast",
    [
      ["224.0.0.0", 4],
      ["ff00::", 8],
    ],
  ],
  [
    "a reserved",
    [
      ["192.0.0.0", 24],
      ["192.0.2.0", 24],
      ["198.18.0.0", 15],
      ["198.51.100.0", 24],
      ["203.0.113.0", 24],
      ["240.0.0.0", 4],
      ["100::", 64],
      ["2001:db8::", 32],
      // Addresses that carry an IPv4 address inside (IPv4-compatible, NAT64, 6to4, Teredo): refused whole,
      // rather than trusting that the embedded address is public.
      ["::", 96],
      ["64:ff9b::", 96],
      ["64:ff9b:1::", 48],
      ["2002::", 16],
      ["2001::", 32],
    ],
  ],
];

const BLOCKED = RANGES.map(([label, ranges]) => {
  const list = new BlockList();
  for (const [network, prefix] of ranges)
    list.addSubnet(network, prefix, isIP(network) === 6 ? "ipv6" : "ipv4");
  return { label, list };
});

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`, `::ffff:7f00:1`) is the IPv4 address it maps. */
function plain(address: string): { address: string; type: "ipv4" | "ipv6" } {
  const mapped = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { address: mapped[1]!, type: "ipv4" };
  const hex = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const n = (parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16);
    return { address: [24, 16, 8, 0].map((s) => (n >>> s) & 255).join("."), type: "ipv4" };
  }
  return { address, type: isIP(address) === 6 ? "ipv6" : "ipv4" };
}

/** What kind of non-public address this is ("a loopback"), or null for a public one. */
export function nonPublicKind(address: string): string | null {
  const { address: a, type } = plain(address);
  return BLOCKED.find(({ list }) => list.check(a, type))?.label ?? null;
}

export type AllowList = { hosts: Set<string>; addresses: BlockList };

/** WEBHOOK_ALLOWED_HOSTS: hostnames, addresses and CIDR ranges, comma-separated. A malformed entry is an error. */
export function parseAllowList(text: string): AllowList {
  const hosts = new Set<string>();
  const addresses = new BlockList();
  for (const raw of text.split(",")) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, "$1");
    if (!entry) continue;
    const [network = "", prefix, ...rest] = entry.split("/");
    const type = isIP(network) === 6 ? "ipv6" : isIP(network) === 4 ? "ipv4" : null;
    if (prefix !== undefined || rest.length) {
      const bits = Number(prefix);
      if (!type || rest.length || !/^\d+$/.test(prefix ?? "") || bits > (type === "ipv6" ? 128 : 32))
        throw new Error(`WEBHOOK_ALLOWED_HOSTS: "${raw.trim()}" is not a CIDR range such as 10.0.0.0/8.`);
      addresses.addSubnet(network, bits, type);
    } else if (type) addresses.addAddress(network, type);
    else if (/^[a-z0-9.-]+$/.test(entry)) hosts.add(entry.replace(/\.$/, ""));
    else throw new Error(`WEBHOOK_ALLOWED_HOSTS: "${raw.trim()}" is not a host name, address or CIDR range.`);
  }
  return { hosts, addresses };
}

/** A destination refused by the rules above: its message says which address and why. */
export class DestinationRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DestinationRefused";
  }
}

export type Target = { address: string; family: 4 | 6 };
type Lookup = (host: string) => Promise<{ address: string; family: number }[]>;
const lookupAll: Lookup = (host) => lookup(host, { all: true, verbatim: true });

/**
 * The address to send `url`'s request to: its host's, once every address it resolves to passed the rules.
 * Throws DestinationRefused, or the lookup's own error when the name does not resolve.
 */
export async function resolveTarget(
  url: URL,
  allow: AllowList,
  resolve: Lookup = lookupAll,
): Promise<Target> {
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  const literal = isIP(host);
  const found = literal ? [{ address: host, family: literal }] : await resolve(host);
  if (found.length === 0) throw new DestinationRefused(`${host} resolves to no address.`);
  if (!allow.hosts.has(host.replace(/\.$/, ""))) {
    for (const { address } of found) {
      const kind = nonPublicKind(address);
      const { address: a, type } = plain(address);
      if (kind && !allow.addresses.check(a, type))
        throw new DestinationRefused(
          `${literal ? address : `${host} resolves to ${address}, which`} is ${kind} address: webhooks are not sent into private networks (WEBHOOK_ALLOWED_HOSTS can allow it).`,
        );
    }
  }
  const first = found[0]!;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
