import { NextResponse, type NextRequest } from "next/server";
import { isPublicPath } from "@/lib/auth/config";

/**
 * Convenience only: a visit without a session cookie goes to sign-in, and back afterwards. It does not decode
 * or refresh the session (that would add a Set-Cookie to every response, racing sign-out); whether a session
 * is valid, and what it may do, is decided by the service layer on every request.
 */
export default function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (isPublicPath(pathname) || hasSessionCookie(request)) return NextResponse.next();
  const signIn = new URL("/login", request.url);
  signIn.searchParams.set("callbackUrl", pathname + search);
  return NextResponse.redirect(signIn);
}

// Auth.js names the cookie with a __Secure- prefix over HTTPS and splits large ones into ".0", ".1", …
function hasSessionCookie(request: NextRequest): boolean {
  return request.cookies.getAll().some(({ name }) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(name));
}

export const config = {
  // The client-facing DCR/OAuth endpoints and static assets never need this.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|o/|oauth2/|\\.well-known/|api/v2/).*)"],
};
