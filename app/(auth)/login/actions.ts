"use server";

import { AuthError } from "next-auth";
import { headers } from "next/headers";
import { signIn } from "@/lib/auth";
import { credentialsSchema } from "@/lib/auth/credentials";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { signInRetryAfter, tooManyAttempts } from "@/lib/auth/sign-in-limiter";
import { requestMetaFrom } from "@/lib/request-meta";
import { formArgument, previousState, serverAction } from "@/lib/server-action";

export type SignInState = { message?: string; email?: string };

export const signInAction = serverAction(
  [previousState, formArgument],
  async (_prev, form): Promise<SignInState> => {
    const email = String(form.get("email") ?? "");
    const parsed = credentialsSchema.safeParse({ email, password: form.get("password") });
    if (!parsed.success) return { email, message: "Enter your email address and password." };
    try {
      await signIn("credentials", { ...parsed.data, redirectTo: safeCallbackPath(form.get("callbackUrl")) });
      return {};
    } catch (error) {
      // A successful sign-in "throws" Next's redirect: let it through.
      if (!(error instanceof AuthError)) throw error;
      if ("code" in error && error.code === "rate_limited") {
        const { ip } = requestMetaFrom(await headers());
        const retryAfter = Math.max(1, await signInRetryAfter(parsed.data.email, ip));
        return { email, message: tooManyAttempts(retryAfter) };
      }
      return { email, message: "That email and password do not match an active account." };
    }
  },
);
