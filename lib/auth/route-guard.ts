import "server-only";
import { requestMetaFrom } from "@/lib/request-meta";
import { signInRetryAfter } from "./sign-in-limiter";

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
        error: {
          code: "rate_limited",
          message: `Too many failed sign-ins. Try again in ${retryAfter} seconds.`,
        },
      },
      { status: 429, headers: { "Retry-After": String(retryAfter), "Cache-Control": "no-store" } },
    );
  };
}
