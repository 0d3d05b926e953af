import { CopyButton } from "./copy-button";

/**
 * A secret shown once after it was made (a temporary password, a token, a webhook's signing secret): the
 * console keeps only its hash, or for a webhook an encrypted copy it never shows.
 */
export function SecretOnce({ label, value }: { label: string; value: string }) {
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950/40 dark:text-amber-100">
      <p className="flex items-center justify-between gap-2 font-medium">
        {label} <CopyButton value={value} label="Copy" />
      </p>
      <code data-testid="secret-once" className="mt-1 block break-all font-mono text-xs select-all">
        {value}
      </code>
      <p className="mt-1 text-xs">It will not be shown again: copy it now and hand it over safely.</p>
    </div>
  );
}

export function FormMessage({ ok, message }: { ok?: boolean; message?: string }) {
  return (
    <p
      role={ok ? "status" : "alert"}
      className={`text-sm ${ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-600 dark:text-red-400"}`}
    >
      {message}
    </p>
  );
}
