"use client";

import { FaqText } from "@/components/faq-text";
import { AlertTriangle, CheckCircle2, Info, OctagonAlert } from "lucide-react";
import type { Scenario } from "@/lib/simulator/ticket";
import { EmptyState } from "@/components/empty-state";
import { Countdown } from "./countdown";
import type { Entry, NoteEntry, Tone } from "./run";
import { StepView } from "./step-view";

export const SCENARIO_LABELS: Record<Scenario, string> = {
  walkthrough: "Walkthrough",
  lost_credentials: "Lost credentials",
  token_expiry: "Token expiry",
  revoked_statement: "Revoked statement",
};

const NOTE_STYLES: Record<Tone, { box: string; icon: typeof Info; word: string }> = {
  info: {
    box: "border-sky-200 bg-sky-50 text-sky-950 dark:border-sky-900 dark:bg-sky-950/40 dark:text-sky-100",
    icon: Info,
    word: "Note",
  },
  success: {
    box: "border-emerald-200 bg-emerald-50 text-emerald-950 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-100",
    icon: CheckCircle2,
    word: "Result",
  },
  warning: {
    box: "border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100",
    icon: AlertTriangle,
    word: "Warning",
  },
  danger: {
    box: "border-red-200 bg-red-50 text-red-950 dark:border-red-900 dark:bg-red-950/40 dark:text-red-100",
    icon: OctagonAlert,
    word: "Impact",
  },
};

function NoteView({ entry }: { entry: NoteEntry }) {
  const style = NOTE_STYLES[entry.tone];
  const Icon = style.icon;
  return (
    <div className={`rounded-md border p-3 text-sm ${style.box}`}>
      <p className="flex flex-wrap items-center gap-2 font-semibold">
        <Icon aria-hidden className="h-4 w-4 shrink-0" />
        <span className="sr-only">{style.word}: </span>
        {entry.title}
        {entry.until && <Countdown until={entry.until} label="Token expires in" />}
      </p>
      <p className="mt-1">
        <FaqText text={entry.text} />
      </p>
    </div>
  );
}

/** The run so far, oldest first: HTTP steps and the scenario's explanations, as one ordered list. */
export function Timeline({ entries, busy }: { entries: Entry[]; busy: string | null }) {
  if (entries.length === 0 && !busy) {
    return (
      <EmptyState title="Nothing run yet">
        Register to start the walkthrough, or play a scenario. Each request this page sends appears here.
      </EmptyState>
    );
  }
  return (
    <ol aria-label="Timeline" aria-busy={Boolean(busy)} className="space-y-4">
      {entries.map((entry, index) => (
        <li key={entry.id} className="relative flex gap-3">
          <span
            aria-hidden
            className="mt-0.5 flex h-6 w-6 shrink-0 items-center justify-center rounded-full bg-zinc-200 text-xs font-semibold text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
          >
            {index + 1}
          </span>
          <div className="min-w-0 flex-1 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
            <p className="mb-2 text-[11px] font-semibold uppercase tracking-wide text-violet-700 dark:text-violet-300">
              {SCENARIO_LABELS[entry.scenario]}
            </p>
            {entry.kind === "step" ? <StepView entry={entry} /> : <NoteView entry={entry} />}
          </div>
        </li>
      ))}
      {busy && (
        <li className="flex gap-3 text-sm text-zinc-600 dark:text-zinc-400">
          <span
            aria-hidden
            className="mt-1 h-4 w-4 animate-spin rounded-full border-2 border-zinc-300 border-t-indigo-600"
          />
          {busy}
        </li>
      )}
    </ol>
  );
}
