import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requirePageContext } from "@/lib/auth/page-guard";
import { listOwnSessions } from "@/lib/auth/sessions";
import { PasswordForm } from "./password-form";
import { SessionsSection } from "./sessions-section";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const { caller } = await requirePageContext();
  const sessions = await listOwnSessions(caller);
  return (
    <>
      <PageHeader title="Your account" description={`${caller.user.name} · ${caller.user.email}`} />
      <section
        aria-labelledby="password-heading"
        className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900"
      >
        <h2
          id="password-heading"
          className="border-b border-zinc-200 px-5 py-3 font-semibold dark:border-zinc-800"
        >
          Change password
        </h2>
        <PasswordForm />
      </section>
      <SessionsSection sessions={sessions} />
    </>
  );
}
