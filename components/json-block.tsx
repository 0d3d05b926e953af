/** Pretty-printed JSON, inert (rendered as text), scrollable. */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="max-h-96 overflow-auto rounded-md bg-zinc-950 p-4 font-mono text-xs leading-relaxed text-zinc-100 dark:bg-black"
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
