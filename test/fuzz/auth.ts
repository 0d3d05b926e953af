import { hostileString, withInvalidUtf8, type Rng } from "./random";
import { headerSafe, noiseHeaders, type PlainRequest } from "./requests";

/**
 * Inputs for the sign-in routes Auth.js serves under /api/auth (what curl or a password-guessing script would
 * send): the credentials callback and sign-in with good, missing and forged CSRF tokens, accounts that do not
 * exist (so no real account is ever locked out), hostile passwords and callback URLs, broken bodies; sign-out
 * without a session; every GET route and the dashboard with forged session cookies.
 */
export type AuthContext = {
  /** A CSRF token and the cookie it was issued with (Auth.js's double-submit pair). */
  csrf: { token: string; cookie: string };
};

const FORM = "application/x-www-form-urlencoded";

/** A callback URL an open redirect would follow off-site. */
const hostileCallback = (rng: Rng) =>
  rng.pick<() => string>([
    () => "https://evil.example/steal",
    () => "//evil.example",
    () => "/\\evil.example",
    () => "\\\\evil.example",
    () => "javascript:alert(1)",
    () => "data:text/html,<script>alert(1)</script>",
    () => "http://localhost@evil.example/",
    () => "https:evil.example",
    () => "/%2F%2Fevil.example",
    () => "/\t/evil.example",
    () => "/applications",
    () => hostileString(rng),
  ])();

/** An email no account has: a fresh one each time, so the per-account limiter never locks a real user out. */
const strangerEmail = (rng: Rng) => `fuzz-${rng.text(16)}@nowhere.test`;

/** Session cookies an attacker might forge: garbage, a JWT-shaped string, a split cookie out of order, huge. */
const forgedSession = (rng: Rng) =>
  rng.pick<() => string>([
    () => `authjs.session-token=${rng.text(rng.between(1, 400))}`,
    () =>
      `authjs.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIn0..${rng.text(22)}.${rng.text(80)}.${rng.text(43)}`,
    () => `authjs.session-token=eyJhbGciOiJub25lIn0.eyJ1aWQiOiJhZG1pbiJ9.`,
    () => `authjs.session-token.1=${rng.text(50)}; authjs.session-token.0=${rng.text(50)}`,
    () => `authjs.session-token.0=${"a".repeat(3800)}; authjs.session-token.1=${"b".repeat(3800)}`,
    () => `__Secure-authjs.session-token=${rng.text(60)}`,
    () => `authjs.session-token=${encodeURIComponent(hostileString(rng).toWellFormed())}`,
    () => `current-org=${encodeURIComponent(hostileString(rng).toWellFormed())}; authjs.session-token=x`,
    () =>
      `authjs.callback-url=${encodeURIComponent(rng.pick(["toString", "javascript:alert(1)", "//evil.example", hostileString(rng)]).toWellFormed())}`,
  ])();

function formBody(
  rng: Rng,
  params: [string, string][],
): { body: string | Buffer; contentType: string; label: string } {
  const encoded = () =>
    params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v.toWellFormed())}`);
  return rng.weighted<() => { body: string | Buffer; contentType: string; label: string }>([
    [12, () => ({ body: encoded().join("&"), contentType: FORM, label: "form" })],
    [
      2,
      () => ({ body: withInvalidUtf8(rng, encoded().join("&")), contentType: FORM, label: "invalid-utf8" }),
    ],
    [2, () => ({ body: [...encoded(), ...encoded()].join("&"), contentType: FORM, label: "repeated" })],
    [1, () => ({ body: encoded().join("&") + "&%&=&%zz=%", contentType: FORM, label: "bad-escapes" })],
    [
      2,
      () => ({
        body: JSON.stringify(Object.fromEntries(params)),
        contentType: rng.pick(["application/json", "text/plain", ""]),
        label: "json",
      }),
    ],
    [
      1,
      () => ({
        body: '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na',
        contentType: "multipart/form-data; boundary=x",
        label: "broken-multipart",
      }),
    ],
    [
      1,
      () => ({
        body: `${encoded().join("&")}&pad=${"x".repeat(rng.pick([70_000, 1_200_000]))}`,
        contentType: FORM,
        label: "huge",
      }),
    ],
  ])();
}

export function authRequest(rng: Rng, ctx: AuthContext): PlainRequest {
  const headers: Record<string, string> = noiseHeaders(rng);
  const csrfVariant = rng.weighted<"valid" | "missing" | "forged" | "cookie-only">([
    [6, "valid"],
    [2, "missing"],
    [2, "forged"],
    [1, "cookie-only"],
  ]);
  const csrfParams = (): [string, string][] => {
    if (csrfVariant === "valid" || csrfVariant === "cookie-only") headers.cookie = ctx.csrf.cookie;
    if (csrfVariant === "valid") return [["csrfToken", ctx.csrf.token]];
    if (csrfVariant === "forged") {
      headers.cookie = `authjs.csrf-token=${rng.text(64, "0123456789abcdef")}%7C${rng.text(64, "0123456789abcdef")}`;
      return [["csrfToken", rng.text(64, "0123456789abcdef")]];
    }
    return [];
  };

  const target = rng.weighted<
    () => { method: "GET" | "POST"; path: string; body?: string | Buffer; label: string }
  >([
    [
      10,
      () => {
        const params: [string, string][] = [
          ...csrfParams(),
          ["email", rng.chance(0.8) ? strangerEmail(rng) : hostileString(rng)],
          ["password", rng.chance(0.7) ? hostileString(rng) : "x".repeat(rng.pick([1, 129, 10_000]))],
        ];
        if (rng.chance(0.4)) params.push(["callbackUrl", hostileCallback(rng)]);
        if (rng.chance(0.1)) params.push(["redirect", rng.pick(["false", "true", "0"])]);
        const f = formBody(rng, params);
        headers["content-type"] = f.contentType;
        const path = rng.chance(0.85) ? "/api/auth/callback/credentials" : "/api/auth/signin/credentials";
        return {
          method: "POST",
          path,
          body: f.body,
          label: `${path.split("/")[3]}/${csrfVariant}/${f.label}`,
        };
      },
    ],
    [
      3,
      () => {
        const params: [string, string][] = [...csrfParams()];
        if (rng.chance(0.6)) params.push(["callbackUrl", hostileCallback(rng)]);
        const f = formBody(rng, params);
        headers["content-type"] = f.contentType;
        if (rng.chance(0.5)) headers.cookie = [headers.cookie, forgedSession(rng)].filter(Boolean).join("; ");
        return {
          method: "POST",
          path: "/api/auth/signout",
          body: f.body,
          label: `signout/${csrfVariant}/${f.label}`,
        };
      },
    ],
    [
      2,
      () => {
        const provider = encodeURIComponent(
          rng.pick([
            "github",
            "email",
            "__proto__",
            "constructor",
            "credentials/..",
            hostileString(rng).toWellFormed(),
          ]),
        );
        const f = formBody(rng, [...csrfParams(), ["email", strangerEmail(rng)], ["password", "p"]]);
        headers["content-type"] = f.contentType;
        const action = rng.pick(["callback", "signin"]);
        return {
          method: "POST",
          path: `/api/auth/${action}/${provider}`,
          body: f.body,
          label: `${action}/unknown-provider`,
        };
      },
    ],
    [
      4,
      () => {
        const route = rng.pick([
          "csrf",
          "session",
          "providers",
          "signin",
          "signout",
          `error?error=${encodeURIComponent(hostileString(rng).toWellFormed())}`,
          `signin?callbackUrl=${encodeURIComponent(hostileCallback(rng).toWellFormed())}`,
          `callback/credentials?email=${strangerEmail(rng)}&password=p`,
          "verify-request",
          "webauthn-options/credentials",
          rng.text(rng.between(1, 30), "abcdefgh/._-"),
          `${"a/".repeat(rng.between(2, 200))}b`,
        ]);
        if (rng.chance(0.6)) headers.cookie = forgedSession(rng);
        return {
          method: "GET",
          path: `/api/auth/${route}`,
          label: `get/${route.split(/[?/]/)[0] || "other"}`,
        };
      },
    ],
    [
      3,
      () => {
        headers.cookie = forgedSession(rng);
        const page = rng.pick([
          "/",
          "/applications",
          "/statements",
          "/audit",
          "/settings/members",
          "/account",
          `/login?callbackUrl=${encodeURIComponent(hostileCallback(rng).toWellFormed())}`,
          `/login?reason=${encodeURIComponent(hostileString(rng).toWellFormed())}`,
          "/api/admin/v1/orgs/acme/applications",
        ]);
        return { method: "GET", path: page, label: `page/${page.split(/[?]/)[0]}` };
      },
    ],
  ])();
  if (headers.cookie) headers.cookie = headerSafe(headers.cookie);
  return { ...target, headers, label: `auth/${target.label}` };
}
