import { ForbiddenError } from "@/lib/errors";

type HeaderBag = { get(name: string): string | null };

/**
 * A request that acts with the session cookie (an admin API mutation, a server action) must say it comes from
 * this site: a page on another site can make the browser send the cookie, but not these headers.
 * - `Origin` must be present and name this host. A browser sends it with every POST; one without it is an old
 *   or privacy-stripped browser, or a forged request, and neither should act with the cookie.
 * - `Sec-Fetch-Site`, when the browser sends it, must be `same-origin`: it is set by the browser alone, so it
 *   also catches a sibling subdomain (`same-site`) and an `Origin: null` (sandboxed frames, redirects).
 * Used by lib/api/handler.ts and by server/front.ts (for server actions), so both refuse the same requests.
 */
export function assertSameOrigin(headers: HeaderBag): void {
  const site = headers.get("sec-fetch-site");
  const origin = headers.get("origin");
  const originHost = origin ? URL.parse(origin)?.host : undefined;
  if ((site !== null && site !== "same-origin") || !originHost || originHost !== headers.get("host"))
    throw new ForbiddenError("Cross-site request refused: send an Origin header matching this site.");
}
