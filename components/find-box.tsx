"use client";

import { Loader2, Search, X } from "lucide-react";
import Link from "next/link";
import { useActionState, useEffect, useRef, useState } from "react";
import type { FindState } from "@/app/(dashboard)/find/actions";
import { storyHref } from "@/lib/find/paths";
import { claimDate } from "@/lib/statements/dates";
import { Time } from "./time";

const KIND_LABELS: Record<string, string> = {
  client: "Client",
  statement: "Statement",
  token: "Access token",
  refusal: "Refusal",
  application: "Application",
  member: "Member",
};

/**
 * The one search box: whatever a customer reads out, pasted as is. It posts (a pasted JWT never lands in a URL);
 * one match opens its story, several are listed here. "/" focuses it from anywhere.
 */
export function FindBox({
  action,
  scopeHint,
}: {
  action: (state: FindState, form: FormData) => Promise<FindState>;
  scopeHint: string;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  // Each new answer opens the panel; closing it hides that answer until the next.
  const [closed, setClosed] = useState<FindState | null>(null);
  const open = closed !== state && Boolean(state.message || state.matches?.length || state.jwt);
  const close = () => setClosed(state);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      const typing = target?.closest("input, textarea, select, [contenteditable=true]");
      if (event.key === "/" && !typing) {
        event.preventDefault();
        input.current?.focus();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <div className="relative w-full max-w-xl" onKeyDown={(e) => e.key === "Escape" && close()}>
      <form action={formAction} role="search" aria-label="Find">
        <label htmlFor="find-q" className="sr-only">
          Find ({scopeHint})
        </label>
        <div className="flex items-center gap-2 rounded-md border border-zinc-300 bg-white px-2 focus-within:ring-2 focus-within:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-900">
          {pending ? (
            <Loader2 aria-hidden className="h-4 w-4 animate-spin text-zinc-400" />
          ) : (
            <Search aria-hidden className="h-4 w-4 text-zinc-400" />
          )}
          <input
            ref={input}
            id="find-q"
            name="q"
            type="search"
            required
            minLength={3}
            maxLength={16384}
            autoComplete="off"
            spellCheck={false}
            defaultValue={state.q}
            key={state.q ?? ""}
            placeholder="Find: client id, trace, statement, token, app, email… ( / )"
            className="min-w-0 flex-1 bg-transparent py-1.5 text-sm outline-none placeholder:text-zinc-400"
          />
        </div>
      </form>
      {open && (
        <div
          role="region"
          aria-label="Find results"
          aria-live="polite"
          className="absolute left-0 right-0 top-full z-40 mt-2 max-h-[70vh] overflow-y-auto rounded-lg border border-zinc-200 bg-white p-3 text-sm shadow-xl dark:border-zinc-800 dark:bg-zinc-900"
        >
          <div className="mb-2 flex items-start justify-between gap-2">
            <p className="text-xs text-zinc-500 dark:text-zinc-400">{scopeHint}</p>
            <button
              type="button"
              onClick={close}
              className="rounded p-0.5 text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800"
              aria-label="Close results"
            >
              <X aria-hidden className="h-4 w-4" />
            </button>
          </div>
          {state.jwt && <JwtPanel verdict={state.jwt} />}
          {state.message && <p className="text-zinc-700 dark:text-zinc-300">{state.message}</p>}
          {state.matches && state.matches.length > 0 && (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Matches">
              {state.matches.map((m) => (
                <li key={`${m.kind}:${m.id}`}>
                  <Link
                    href={storyHref(m)}
                    onClick={close}
                    className="block rounded px-2 py-2 hover:bg-zinc-50 focus:bg-zinc-50 focus:outline-none dark:hover:bg-zinc-800 dark:focus:bg-zinc-800"
                  >
                    <span className="mr-2 rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
                      {KIND_LABELS[m.kind]}
                    </span>
                    <span className="font-medium [overflow-wrap:anywhere]">{m.title}</span>
                    <span className="mt-0.5 block text-xs text-zinc-500 [overflow-wrap:anywhere] dark:text-zinc-400">
                      {m.organization ? `${m.organization.name} · ` : ""}
                      {m.detail}
                      {m.at && (
                        <>
                          {" · "}
                          <Time date={m.at} />
                        </>
                      )}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

function JwtPanel({ verdict }: { verdict: NonNullable<FindState["jwt"]> }) {
  const what = verdict.kind === "access_token" ? "an access token" : "a software statement";
  return (
    <div
      data-testid="jwt-verdict"
      className={`mb-3 rounded-md border p-3 ${
        verdict.verifies && !verdict.problem
          ? "border-emerald-200 bg-emerald-50 dark:border-emerald-900 dark:bg-emerald-950/40"
          : "border-amber-200 bg-amber-50 dark:border-amber-900 dark:bg-amber-950/40"
      }`}
    >
      <p className="font-medium">
        This JWT is {what}. {verdict.verifies ? "Its signature verifies." : "It does not verify."}{" "}
        {verdict.problem}
      </p>
      <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">
        Checked on the server; the JWT is not stored or logged.
      </p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 font-mono text-xs">
        {Object.entries({ ...verdict.header, ...verdict.claims })
          .filter(([, v]) => v !== null && v !== undefined)
          .map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-zinc-500">{k}</dt>
              <dd className="[overflow-wrap:anywhere]">{claimText(k, v)}</dd>
            </div>
          ))}
      </dl>
    </div>
  );
}

/** A claim as shown: a date claim with its moment, when it names one a Date can hold (`exp: 1e20` does not). */
function claimText(name: string, value: unknown): string {
  const date = ["iat", "nbf", "exp"].includes(name) ? claimDate(value) : null;
  return date ? `${String(value)} (${date.toISOString()})` : String(value);
}
