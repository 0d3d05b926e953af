import type { HttpRequest } from "./http";

/** One shell word: single-quoted, with each embedded quote closed, escaped and reopened ('\''). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The exchange as a curl command that repeats it exactly: same method, URL, headers and body (`-i` prints
 * the status line and headers too). For a simulated register this includes the ticket, valid 15 minutes.
 */
export function toCurl(request: HttpRequest, origin: string): string {
  const parts = [`curl -sS -i -X ${request.method} ${shellQuote(origin + request.path)}`];
  for (const [name, value] of Object.entries(request.headers))
    parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (request.body !== undefined) parts.push(`--data-raw ${shellQuote(request.body)}`);
  return parts.join(" \\\n  ");
}
