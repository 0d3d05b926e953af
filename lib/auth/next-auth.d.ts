import type { GlobalRole } from "@/lib/generated/prisma/enums";

declare module "next-auth" {
  interface User {
    role: GlobalRole;
    /** The session row made at sign-in (lib/auth/sessions.ts), and when it ends (ms since the epoch). */
    sessionId: string;
    sessionExpiresAt: number;
  }
  interface Session {
    sessionId: string;
    user: { id: string; role: GlobalRole; email: string; name: string };
  }
}

declare module "@auth/core/jwt" {
  interface JWT {
    uid: string;
    role: GlobalRole;
    /** The session row's id, and its end in seconds since the epoch (the token's `exp` never moves past it). */
    sid: string;
    sexp: number;
  }
}
