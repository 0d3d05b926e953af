import type { NextAuthConfig } from "next-auth";
import { encode } from "next-auth/jwt";
import { env } from "@/lib/env";

/** Paths that never need a session (their handlers authenticate on their own terms, or not at all). */
const PUBLIC_PATHS = [
  /^\/help(\/|$)/,
  /^\/login(\/|$)/,
  /^\/api\/auth\//,
  /^\/api\/admin\//,
  /^\/api\/health$/,
];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.some((re) => re.test(pathname));
}

/** Auth.js's session cookie: a __Secure- prefix over HTTPS, and split into ".0", ".1", … when large. */
export const isSessionCookieName = (name: string) => /^(__Secure-)?authjs\.session-token(\.\d+)?$/.test(name);

/** A session lasts this long from sign-in, and nothing extends it. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * Auth.js settings that need no database: JWT sessions carrying the user id, global role and the id of the
 * session's row (`sid`, checked on every request by lib/auth/caller.ts). Providers are added in ./index.ts.
 */
export const authConfig = {
  secret: env.AUTH_SECRET,
  // The host Auth.js builds on is PUBLIC_URL's (AUTH_URL, set in ./index.ts), never the request's.
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  // Auth.js re-signs the token on every session read with a new expiry; keep the one set at sign-in, so a
  // session read (or an update posted to /api/auth/session) never rolls it forward.
  jwt: {
    encode: (params) =>
      encode({ ...params, maxAge: params.token?.sexp ? params.token.sexp - nowSeconds() : params.maxAge }),
  },
  pages: { signIn: "/login" },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.uid = user.id;
        token.role = user.role;
        token.sid = user.sessionId;
        token.sexp = Math.floor(user.sessionExpiresAt / 1000);
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.uid;
      session.user.role = token.role;
      session.sessionId = token.sid;
      // Not Auth.js's "now + maxAge": when this session really ends.
      if (token.sexp) Object.assign(session, { expires: new Date(token.sexp * 1000).toISOString() });
      return session;
    },
  },
} satisfies NextAuthConfig;
