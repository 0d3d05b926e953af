import type { Exchange } from "./http";

const TONES = {
  ok: "bg-emerald-50 text-emerald-700 ring-emerald-600/20 dark:bg-emerald-950/50 dark:text-emerald-300",
  client: "bg-red-50 text-red-700 ring-red-600/20 dark:bg-red-950/50 dark:text-red-300",
  throttled: "bg-amber-50 text-amber-800 ring-amber-600/30 dark:bg-amber-950/50 dark:text-amber-200",
  none: "bg-zinc-100 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-800 dark:text-zinc-300",
} as const;

/** The response status as a number and its reason phrase ("201 Created"), coloured to match — never colour alone. */
export function HttpStatus({ exchange }: { exchange: Exchange }) {
  const status = exchange.response?.status;
  const tone = !status ? "none" : status === 429 ? "throttled" : status < 400 ? "ok" : "client";
  return (
    <span
      data-testid="http-status"
      className={`inline-flex items-center rounded-md px-2 py-0.5 font-mono text-xs font-semibold ring-1 ring-inset ${TONES[tone]}`}
    >
      {status ? `${status} ${exchange.response!.statusText}`.trim() : "No response"}
    </span>
  );
}
