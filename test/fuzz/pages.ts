import type { AdminContext } from "./admin";
import { hostileString, segment, type Rng } from "./random";

/**
 * Dashboard pages as a signed-in admin or representative opens them from a crafted link: the filter forms'
 * query parameters (GET forms) and the ids in the path made hostile, repeated or over-long, with forged
 * organization and callback-url cookies next to the real session. All reads: each must render or refuse,
 * never fail.
 */
export type PageRequest = {
  label: string;
  path: string;
  session: "admin" | "rep";
  cookies: [string, string][];
};

const PAGES: Record<string, string[]> = {
  "/": [],
  "/applications": ["cursor"],
  "/applications/:application": ["cursor", "created"],
  "/statements": ["status", "applicationId", "q", "cursor"],
  "/statements/:statement": ["uploaded"],
  "/statements/upload": [],
  "/registrations": [
    "statementId",
    "applicationId",
    "platform",
    "status",
    "from",
    "to",
    "simulated",
    "cursor",
  ],
  "/registrations/:client": [],
  "/audit": ["action", "actor", "targetId", "since", "until", "cursor"],
  "/audit/:event": [],
  "/simulator": ["statement"],
  "/settings": [],
  "/settings/members": ["cursor"],
  "/settings/issuers": [],
  "/settings/tokens": [],
  "/settings/webhooks": [],
  "/settings/webhooks/:webhook": ["cursor"],
  "/account": [],
  "/organizations/new": [],
  "/login": ["callbackUrl", "reason"],
};

const queryValue = (rng: Rng) =>
  rng.pick<() => string>([
    () => hostileString(rng),
    () => rng.pick(["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"]),
    () => rng.pick(["active", "revoked", "ACTIVE", "true", "false", "1", "-1", "0", "NaN", "Infinity"]),
    () =>
      rng.pick(["2026-13-45", "1e308", "9999-12-31T23:59:59Z", "0000-00-00", "yesterday", "-271821-04-19"]),
    () => rng.pick(["statement.", "statement.*", "%", "_", "*", "auth.sign_in"]),
    () => Buffer.from(hostileString(rng).toWellFormed()).toString("base64url"),
    () => "eyJpZCI6Ii4uLyIsImF0IjoiMjAyNiJ9",
    () => "x".repeat(rng.pick([200, 5_000])),
  ])();

export function pageRequest(rng: Rng, ctx: AdminContext): PageRequest {
  const route = rng.pick(Object.keys(PAGES));
  const pathId = () =>
    rng.chance(0.2)
      ? rng.pick([ctx.applicationId, ctx.statementId])
      : segment(
          rng.pick([
            "nope",
            "__proto__",
            "constructor",
            "toString",
            "0",
            "a".repeat(300),
            hostileString(rng),
          ]),
        );
  const path = route.replace(/:\w+/, pathId);
  const params = new URLSearchParams();
  for (const name of PAGES[route]!) if (rng.chance(0.5)) params.append(name, queryValue(rng).toWellFormed());
  if (rng.chance(0.2))
    params.append(rng.pick(PAGES[route]!.length ? PAGES[route]! : ["x"]), queryValue(rng).toWellFormed());
  if (rng.chance(0.1)) params.append("__proto__[x]", "1");
  const query = params.size
    ? `?${params}`
    : rng.chance(0.1)
      ? rng.pick(["?%", "?%zz=1", "?a=%FF", "?&&=&"])
      : "";
  const cookies: [string, string][] = [];
  if (rng.chance(0.2))
    cookies.push([
      "current-org",
      encodeURIComponent(rng.pick(["globex", "nope", "__proto__", hostileString(rng)]).toWellFormed()),
    ]);
  if (rng.chance(0.1))
    cookies.push([
      "authjs.callback-url",
      encodeURIComponent(
        rng.pick(["toString", "javascript:alert(1)", "//evil.example", hostileString(rng)]).toWellFormed(),
      ),
    ]);
  return {
    label: `page${route}${query ? "?…" : ""}${cookies.length ? "+cookies" : ""}`,
    path: path + query,
    session: rng.chance(0.8) ? "admin" : "rep",
    cookies,
  };
}
