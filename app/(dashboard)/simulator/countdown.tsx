"use client";

import { formatDuration, useNowSeconds } from "./clock";

/** A live countdown to a moment (ms since epoch): "expires in 0:19", then "expired", in words as well as colour. */
export function Countdown({ until, label = "Expires in" }: { until: number; label?: string }) {
  const now = useNowSeconds();
  const remaining = Math.ceil(until / 1000 - now);
  if (remaining <= 0) {
    return (
      <span
        role="timer"
        className="inline-flex items-center rounded-md bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 ring-1 ring-inset ring-red-600/20 dark:bg-red-950/50 dark:text-red-300"
      >
        Expired
      </span>
    );
  }
  return (
    <span
      role="timer"
      className="inline-flex items-center rounded-md bg-sky-50 px-2 py-0.5 text-xs font-medium tabular-nums text-sky-800 ring-1 ring-inset ring-sky-600/20 dark:bg-sky-950/50 dark:text-sky-200"
    >
      {label} {formatDuration(remaining)}
    </span>
  );
}
