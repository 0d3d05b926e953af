import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { withAudit, type AuditContext } from "@/lib/audit";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { requestMetaFrom } from "@/lib/request-meta";
import { authConfig } from "./config";
import { credentialsSchema } from "./credentials";
import { dummyPasswordHash, verifyPassword } from "./password";
import { endSignedOutSession, startSession } from "./sessions";
import { refundSignInAttempt, takeSignInAttempt } from "./sign-in-limiter";

/** Wrong email, wrong password or disabled account: one answer for all, so none of them can be told apart. */
export class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}

export class SignInThrottled extends CredentialsSignin {
  code = "rate_limited";
}

// Auth.js builds every URL it answers with (redirects, the sign-out page's form, the providers' URLs, the
// callback-url cookie) and picks HTTPS-only cookies from AUTH_URL when it is set, and from the request's Host,
// X-Forwarded-Host and -Proto otherwise: a client's to choose. This service's address is PUBLIC_URL; only its
// origin, since Auth.js would take a path as its basePath. It is read at each request, so set it before any.
process.env.AUTH_URL = new URL(env.PUBLIC_URL).origin;

export const { handlers, auth, signIn, signOut } = NextAuth({
  ...authConfig,
  logger: {
    // A failed sign-in is an expected outcome, recorded in the audit trail: not an error with a stack trace.
    error(error) {
      if (error instanceof CredentialsSignin || error.name === "CredentialsSignin") return;
      console.error(error);
    },
  },
  providers: [
    Credentials({
      credentials: {
        email: { label: "Email", type: "email" },
        password: { label: "Password", type: "password" },
      },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        const { email, password } = parsed.data;
        const meta = requestMetaFrom(request.headers);
        const anonymous: AuditContext = {
          actor: { userId: null, email, role: null, actingFor: false },
          request: meta,
        };

        // The attempt is counted before the password is checked, so a burst cannot get more checks than the limit.
        if ((await takeSignInAttempt(email, meta.ip)) > 0) {
          await withAudit(anonymous, (_tx, audit) =>
            audit({ action: "auth.sign_in_throttled", organizationId: null }),
          );
          throw new SignInThrottled();
        }

        const user = await db.user.findUnique({ where: { email } });
        const passwordOk = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
        if (!user || !passwordOk || user.disabled) {
          await withAudit(
            { ...anonymous, actor: { ...anonymous.actor, userId: user?.id ?? null } },
            (_tx, audit) =>
              audit({
                action: "auth.sign_in_failed",
                organizationId: null,
                targetType: user ? "user" : undefined,
                targetId: user?.id,
                after: { reason: !user ? "unknown_email" : user.disabled ? "disabled" : "wrong_password" },
              }),
          );
          throw new InvalidCredentials();
        }

        await refundSignInAttempt(email, meta.ip);
        const session = await withAudit(
          { actor: { userId: user.id, email: user.email, role: user.role, actingFor: false }, request: meta },
          async (tx, audit) => {
            await audit({
              action: "auth.sign_in",
              organizationId: null,
              targetType: "user",
              targetId: user.id,
            });
            return startSession(tx, user, meta);
          },
        );
        return {
          id: user.id,
          email: user.email,
          name: user.name,
          role: user.role,
          sessionId: session.id,
          sessionExpiresAt: session.expiresAt.getTime(),
        };
      },
    }),
  ],
  events: {
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      if (!token?.uid) return;
      await endSignedOutSession(
        {
          actor: { userId: token.uid, email: token.email ?? null, role: token.role, actingFor: false },
          request: requestMetaFrom(await headers()),
        },
        token.uid,
        token.sid,
      );
    },
  },
});
