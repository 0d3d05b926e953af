import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getCaller } from "@/lib/auth/caller";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { LoginForm } from "./login-form";

export const metadata: Metadata = { title: "Sign in" };

/** Why someone was sent here, when it is worth saying. */
// A Map, not an object: `?reason=toString` must find nothing, not Object.prototype.toString.
const NOTICES = new Map([
  [
    "password-changed",
    "Your password was changed and every session of your account ended. Sign in with the new password.",
  ],
  ["session", "Your session has ended. Sign in again to continue."],
]);

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; reason?: string }>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const notice = typeof params.reason === "string" ? NOTICES.get(params.reason) : undefined;
  if (await getCaller()) redirect(callbackUrl);
  return (
    <main className="flex min-h-screen items-center justify-center px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <div className="mx-auto mb-4 flex h-10 w-10 items-center justify-center rounded-lg bg-indigo-600 font-mono text-sm font-bold text-white">
            SC
          </div>
          <h1 className="text-xl font-semibold tracking-tight">Sign in to Statement Console</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Software statements and the clients they register.
          </p>
        </div>
        {notice && (
          <p
            role="status"
            className="mb-4 rounded-md bg-indigo-50 px-4 py-3 text-sm text-indigo-900 dark:bg-indigo-950 dark:text-indigo-100"
          >
            {notice}
          </p>
        )}
        <div className="rounded-lg border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
          <LoginForm callbackUrl={callbackUrl} />
        </div>
      </div>
    </main>
  );
}
