/** Numbers as the console writes them (times: lib/time-format.ts and components/time.tsx). */
export function formatCount(n: number): string {
  return n.toLocaleString("en");
}

const ROLE_WORDS: Record<string, string> = {
  ADMIN: "Admin",
  VIEWER: "Viewer",
  REP: "Support representative",
  CLIENT: "Client",
  SYSTEM: "System",
  USER: "Member",
};

/** A stored role ("ADMIN", "CLIENT") as a word people use ("Admin", "Client"). */
export function formatRole(role: string | null): string | null {
  return role === null ? null : (ROLE_WORDS[role] ?? role.charAt(0) + role.slice(1).toLowerCase());
}

/** An address as people read it: an IPv4-mapped IPv6 address ("::ffff:203.0.113.7") as its IPv4 form. */
export function formatIp(ip: string): string;
export function formatIp(ip: string | null): string | null;
export function formatIp(ip: string | null): string | null {
  return ip?.replace(/^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i, "$1") ?? null;
}
