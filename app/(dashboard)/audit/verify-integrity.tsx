"use client";

import Link from "next/link";
import { formatCount } from "@/components/format";
import { useState, useTransition } from "react";
import { buttonClass } from "@/components/ui/button";
import { verifyIntegrityAction, type VerifyState } from "./actions";
import { chainWords } from "./chain-words";

const REASONS = {
  hash_mismatch: "its contents no longer match its hash",
  prev_hash_mismatch: "it does not link to the event before it",
  gap: "events before it are missing",
} as const;

/** "Verify integrity": walks the organization's chains on the server and says what it found (aria-live). */
export function VerifyIntegrity() {
  const [state, setState] = useState<VerifyState>({});
  const [pending, startTransition] = useTransition();
  const { result, error } = state;
  // A read, not a change: a plain button rather than a form, so a viewer's page holds no mutating form.
  const verify = () => startTransition(async () => setState(await verifyIntegrityAction()));
  return (
    <div className="flex flex-col items-end gap-2">
      <button type="button" onClick={verify} disabled={pending} className={buttonClass("secondary")}>
        {pending ? "Verifying…" : "Verify integrity"}
      </button>
      <p role="status" aria-live="polite" className="max-w-md text-right text-sm">
        {error && <span className="text-red-700 dark:text-red-300">{error}</span>}
        {result?.ok && (
          <span className="text-emerald-700 dark:text-emerald-300">
            ✓ {formatCount(result.checked)} events verified, chain intact
          </span>
        )}
        {result && !result.ok && (
          <span className="text-red-700 dark:text-red-300">
            ✗ Chain broken at event #{result.brokenAt.seq} of {chainWords(result.brokenAt.lane)} (
            <Link href={`/audit/${result.brokenAt.eventId}`} className="underline">
              {result.brokenAt.eventId}
            </Link>
            ): {REASONS[result.brokenAt.reason]}. {formatCount(result.checked)} events verified before it.
          </span>
        )}
      </p>
    </div>
  );
}
