import { HelpCircle } from "lucide-react";
import Link from "next/link";
import { CLIENT_ERRORS } from "@/lib/help/errors";
import { FAQ_RULES } from "@/lib/help/faq";
import { errorHelpPath, faqRulePath, HELP_PATH } from "@/lib/help/paths";

/**
 * Help pages need no sign-in: the developers of client apps follow an error's helpUrl from their logs, and
 * they have no account here. Signed-in people reach them from the sidebar and the simulator.
 */
export default function HelpLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="min-h-screen">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 bg-white px-4 py-3 sm:px-6 dark:border-zinc-800 dark:bg-zinc-900">
        <Link href={HELP_PATH} className="flex items-center gap-2 font-semibold tracking-tight">
          <HelpCircle aria-hidden className="h-5 w-5 text-indigo-600" />
          Statement Console help
        </Link>
        <Link href="/" className="text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          Back to the console
        </Link>
      </header>
      <div className="mx-auto grid grid-cols-1 max-w-6xl gap-8 px-4 py-8 sm:px-6 lg:grid-cols-[14rem_minmax(0,1fr)]">
        <nav aria-label="Help" className="space-y-6 text-sm">
          <div>
            <p className="mb-2 font-semibold text-zinc-500 dark:text-zinc-400">The rules (FAQ)</p>
            <ol className="space-y-1">
              {FAQ_RULES.map((r) => (
                <li key={r.rule}>
                  <Link href={faqRulePath(r.rule)} className="hover:underline">
                    {r.rule}. {r.topic}
                  </Link>
                </li>
              ))}
            </ol>
          </div>
          <div>
            <p className="mb-2 font-semibold text-zinc-500 dark:text-zinc-400">Client errors</p>
            <ul className="space-y-1">
              {CLIENT_ERRORS.map((e) => (
                <li key={e.code}>
                  <Link href={errorHelpPath(e.code)} className="break-all font-mono text-xs hover:underline">
                    {e.code}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        </nav>
        <main id="main" className="min-w-0">
          {children}
        </main>
      </div>
    </div>
  );
}
