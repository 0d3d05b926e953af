import { NextResponse, type NextRequest } from "next/server";
import { CALLBACK_URL_COOKIES, isAcceptableCallbackUrl } from "@/lib/auth/callback-url";
import { isPublicPath, isSessionCookieName } from "@/lib/auth/config";
import { contentSecurityPolicy } from "@/lib/security-headers";

/**
 * Three jobs, before any page renders:
 * - A Content-Security-Policy with a fresh nonce per request: Next puts the nonce on its own scripts (it
 *   reads it from the request's CSP header), so no inline script without it can run, whatever text a page
 *   shows. Styles may be inline (components set style attributes); scripts may not.
 * - Convenience only: a visit without a session cookie goes to sign-in, and back afterwards. It does not
 *   decode or refresh the session (that would add a Set-Cookie to every response, racing sign-out); whether
 *   a session is valid, and what it may do, is decided by the service layer on every request.
 * - Keeping callback URLs Auth.js cannot parse away from it (see isAcceptableCallbackUrl): a bad `callbackUrl`
 *   on a sign-in route is a 400, and a bad callback-url cookie is dropped — it would otherwise make every
 *   Auth.js request, the session read on each page included, fail with a 500 until it expired.
 */
export default function proxy(request: NextRequest) {
  const { pathname, search, searchParams } = request.nextUrl;
  const callbackUrls = searchParams.getAll("callbackUrl");
  if (pathname.startsWith("/api/auth/") && !callbackUrls.every(isAcceptableCallbackUrl))
    return NextResponse.json(
      {
        error: {
          code: "validation_failed",
          message: "callbackUrl must be a path on this site, such as /applications.",
        },
      },
      { status: 400, headers: { "Cache-Control": "no-store" } },
    );
  const badCookies = CALLBACK_URL_COOKIES.filter((name) => {
    const value = request.cookies.get(name)?.value;
    return value !== undefined && !isAcceptableCallbackUrl(value);
  });
  // Dropped from this request (request.cookies writes through to its headers) and from the browser.
  for (const name of badCookies) request.cookies.delete(name);
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const csp = contentSecurityPolicy(nonce, request.nextUrl.protocol === "https:");
  let response: NextResponse;
  if (isPublicPath(pathname) || hasSessionCookie(request)) {
    const headers = new Headers(request.headers);
    headers.set("content-security-policy", csp);
    response = NextResponse.next({ request: { headers } });
  } else {
    const signIn = new URL("/login", request.url);
    signIn.searchParams.set("callbackUrl", pathname + search);
    response = NextResponse.redirect(signIn);
  }
  response.headers.set("content-security-policy", csp);
  for (const name of badCookies) response.cookies.delete(name);
  return response;
}

function hasSessionCookie(request: NextRequest): boolean {
  return request.cookies.getAll().some(({ name }) => isSessionCookieName(name));
}

export const config = {
  // The client-facing DCR/OAuth endpoints and static assets never need this.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|o/|oauth2/|\\.well-known/|api/v2/).*)"],
};
