"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { findPastedStatementAction, type StatementChoice } from "./actions";

const CONTROL =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm shadow-sm ring-1 ring-inset ring-zinc-300 focus:ring-2 focus:ring-indigo-500 dark:bg-zinc-950 dark:ring-zinc-700";

export const choiceLabel = (s: StatementChoice) =>
  `${s.applicationName} · ${s.fingerprint.slice(0, 12)}… (${s.status})`;

/** One of the organization's statements, chosen from the list or found by pasting its JWT. */
export function StatementPicker({
  choices,
  value,
  onChange,
  onFound,
  disabled,
}: {
  choices: StatementChoice[];
  value: string;
  onChange: (id: string) => void;
  onFound: (statement: StatementChoice) => void;
  disabled: boolean;
}) {
  const [mode, setMode] = useState<"choose" | "paste">("choose");
  const [pasted, setPasted] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const find = () =>
    startTransition(async () => {
      const result = await findPastedStatementAction(pasted);
      if (!result.ok) return setMessage({ ok: false, text: result.error });
      onFound(result.statement);
      setMessage({ ok: true, text: `Found and selected: ${choiceLabel(result.statement)}.` });
      setMode("choose");
    });

  return (
    <fieldset className="space-y-3" disabled={disabled}>
      <legend className="text-sm font-medium">Software statement</legend>
      <div className="flex gap-4 text-sm">
        {(["choose", "paste"] as const).map((m) => (
          <label key={m} className="flex items-center gap-2">
            <input type="radio" name="statement-mode" checked={mode === m} onChange={() => setMode(m)} />
            {m === "choose" ? "Choose one of yours" : "Paste a statement"}
          </label>
        ))}
      </div>
      {mode === "choose" ? (
        <div className="space-y-1.5">
          <label htmlFor="sim-statement" className="block text-sm font-medium">
            Statement
          </label>
          <select
            id="sim-statement"
            value={value}
            onChange={(e) => onChange(e.target.value)}
            className={CONTROL}
          >
            {choices.length === 0 && <option value="">No statements yet</option>}
            {choices.map((s) => (
              <option key={s.id} value={s.id}>
                {choiceLabel(s)}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <div className="space-y-2">
          <label htmlFor="sim-pasted" className="block text-sm font-medium">
            Software statement (JWT)
          </label>
          <textarea
            id="sim-pasted"
            rows={4}
            value={pasted}
            onChange={(e) => setPasted(e.target.value)}
            aria-describedby="sim-pasted-hint"
            className={`${CONTROL} font-mono text-xs`}
          />
          <p id="sim-pasted-hint" className="text-xs text-zinc-500 dark:text-zinc-400">
            It must be one of this organization&apos;s stored statements, so that what the simulator registers
            is marked simulated. Another statement: upload it first.
          </p>
          <Button type="button" variant="secondary" onClick={find} disabled={pending || !pasted.trim()}>
            {pending ? "Looking…" : "Use this statement"}
          </Button>
        </div>
      )}
      <p
        aria-live="polite"
        className={`text-sm ${message?.ok ? "text-emerald-700 dark:text-emerald-300" : "text-red-600 dark:text-red-400"}`}
      >
        {message?.text}
      </p>
    </fieldset>
  );
}
