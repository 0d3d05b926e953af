import "server-only";
import { NextRequest } from "next/server";
import { requestMetaFrom } from "@/lib/request-meta";
import { getCaller } from "./caller";
import { isSessionCookieName } from "./config";
import { signInRetryAfter, tooManyAttempts } from "./sign-in-limiter";

type Handler = (request: NextRequest) => Promise<Response>;

/**
 * Auth.js answers a throttled credentials sign-in with a redirect like any other failure. API clients get a
 * plain `429` with `Retry-After` instead. The decision itself is made once, in `authorize`; this only
 * changes how it is told. (The sign-in form goes through a server action and shows its own message.)
 */
export function withThrottledSignInAs429(handler: Handler): Handler {
  return async (request) => {
    const probe = request.clone();
    const response = await handler(request);
    const location = response.headers.get("location");
    if (!location || new URL(location, request.url).searchParams.get("code") !== "rate_limited")
      return response;
    const email = String((await probe.formData().catch(() => null))?.get("email") ?? "");
    const retryAfter = Math.max(1, await signInRetryAfter(email, requestMetaFrom(request.headers).ip));
    return Response.json(
      {
        error: { code: "rate_limited", message: tooManyAttempts(retryAfter) },
      },
      { status: 429, headers: { "Retry-After": String(retryAfter), "Cache-Control": "no-store" } },
    );
  };
}

/** The name of a `name=value` cookie pair (of a Cookie header or the start of a Set-Cookie line). */
const cookieName = (pair: string) => pair.split("=")[0]!.trim();
const isSessionCookie = (pair: string) => isSessionCookieName(cookieName(pair));
const REMOVAL = /;\s*(max-age=0|expires=thu, 01 jan 1970)/i;

/**
 * Auth.js answers every read of `/api/auth/session` with the session cookie signed again, expiring later. A
 * session here ends a fixed 12 hours after sign-in, so GET responses keep only the removal of a broken or
 * ended cookie; a session is only ever issued by the sign-in POST.
 */
export function withoutSessionReissue(handler: Handler): Handler {
  return async (request) => {
    const response = await handler(request);
    const cookies = response.headers.getSetCookie();
    const kept = cookies.filter((c) => !isSessionCookie(c) || REMOVAL.test(c));
    if (kept.length === cookies.length) return response;
    return withCookies(response, kept);
  };
}

/**
 * Auth.js reads `/api/auth/session` from the signed cookie alone, so a session that was signed out or ended
 * (sessions are rows: ./sessions.ts) would still read as signed in there. When the cookie's session is not
 * live, Auth.js gets the request without it, so its answer is exactly its answer to no session, and the
 * browser is told to forget the cookie, as Auth.js does with one it cannot verify.
 */
export function withEndedSessionAsNone(handler: Handler): Handler {
  return async (request) => {
    const pairs = (request.headers.get("cookie") ?? "").split(";");
    const ended = pairs.filter(isSessionCookie).map(cookieName);
    if (request.nextUrl.pathname !== "/api/auth/session" || ended.length === 0 || (await getCaller()))
      return handler(request);
    const headers = new Headers(request.headers);
    headers.set("cookie", pairs.filter((pair) => !isSessionCookie(pair)).join(";"));
    const body = ["GET", "HEAD"].includes(request.method) ? undefined : await request.arrayBuffer();
    const response = await handler(new NextRequest(request.url, { method: request.method, headers, body }));
    const secure = (name: string) => (name.startsWith("__Secure-") ? "; Secure" : "");
    const removals = ended.map(
      (name) => `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure(name)}`,
    );
    return withCookies(response, [...response.headers.getSetCookie(), ...removals]);
  };
}

/** The response with exactly these Set-Cookie lines. */
function withCookies(response: Response, cookies: string[]): Response {
  const headers = new Headers(response.headers);
  headers.delete("set-cookie");
  for (const cookie of cookies) headers.append("set-cookie", cookie);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
