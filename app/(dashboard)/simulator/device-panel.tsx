"use client";

import { FaqText } from "@/components/faq-text";
import { useState } from "react";
import { Countdown } from "./countdown";
import type { DeviceState } from "./device-storage";
import { maskSecret } from "./masking";

/** What the simulated device holds now: its credentials (stored, as an installed app keeps them) and token. */
export function DevicePanel({ device, revoked }: { device: DeviceState | null; revoked: boolean }) {
  const [revealed, setRevealed] = useState(false);
  if (!device) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        The device holds no credentials for this statement: it must register first.
      </p>
    );
  }
  return (
    <div className="space-y-2 text-sm">
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[max-content_1fr]">
        <dt className="font-medium text-zinc-600 dark:text-zinc-400">Client ID</dt>
        <dd data-testid="device-client-id" className="break-all font-mono text-xs">
          {device.clientId}
        </dd>
        <dt className="font-medium text-zinc-600 dark:text-zinc-400">Client secret</dt>
        <dd className="flex flex-wrap items-center gap-2">
          <code className="break-all font-mono text-xs">
            {revealed ? device.clientSecret : maskSecret(device.clientSecret)}
          </code>
          <button
            type="button"
            aria-pressed={revealed}
            onClick={() => setRevealed((v) => !v)}
            className="rounded px-1.5 py-0.5 text-xs font-medium text-indigo-700 hover:bg-indigo-50 dark:text-indigo-300 dark:hover:bg-indigo-950/50"
          >
            {revealed ? "Hide" : "Reveal"}
          </button>
        </dd>
        <dt className="font-medium text-zinc-600 dark:text-zinc-400">Access token</dt>
        <dd>{device.token ? <Countdown until={device.token.expiresAt} /> : "None yet"}</dd>
      </dl>
      {revoked && (
        <p className="text-sm font-medium text-red-700 dark:text-red-300">
          Cut off: its statement has been revoked, so these credentials and this token no longer work.
        </p>
      )}
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        <FaqText text="Kept in this browser's storage, as an installed app keeps its credentials (FAQ rule 3)." />
      </p>
    </div>
  );
}
