import type { NextAuthConfig } from "next-auth";
import { env } from "@/lib/env";

/** Paths that never need a session (their handlers authenticate on their own terms, or not at all). */
const PUBLIC_PATHS = [/^\/login(\/|$)/, /^\/api\/auth\//, /^\/api\/admin\//, /^\/api\/health$/];

export function isPublicPath(pathname: string): boolean {
  return PUBLIC_PATHS.some((re) => re.test(pathname));
}

/**
 * Auth.js settings that need no database: JWT sessions (a fixed 12 hours from sign-in: nothing rolls them
 * forward) carrying the user id, global role and session version. Providers are added in ./index.ts.
 */
export const authConfig = {
  secret: env.AUTH_SECRET,
  trustHost: true,
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.uid = user.id;
        token.role = user.role;
        token.sv = user.sessionVersion;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.uid;
      session.user.role = token.role;
      session.sessionVersion = token.sv;
      return session;
    },
  },
} satisfies NextAuthConfig;
