import "server-only";
import { requestMetaFrom } from "@/lib/request-meta";
import { signInRetryAfter, tooManyAttempts } from "./sign-in-limiter";

import type { NextRequest } from "next/server";

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

const SESSION_COOKIE = /^(__Secure-)?authjs\.session-token(\.\d+)?=/;
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
    const kept = cookies.filter((c) => !SESSION_COOKIE.test(c) || REMOVAL.test(c));
    if (kept.length === cookies.length) return response;
    const headers = new Headers(response.headers);
    headers.delete("set-cookie");
    for (const cookie of kept) headers.append("set-cookie", cookie);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}
