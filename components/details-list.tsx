/** Label/value pairs in a definition list. */
export function DetailsList({ items }: { items: [label: string, value: React.ReactNode][] }) {
  return (
    <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
      {items.map(([label, value]) => (
        <div key={label} className="grid grid-cols-1 gap-1 px-5 py-3 text-sm sm:grid-cols-3 sm:gap-4">
          <dt className="font-medium text-zinc-600 dark:text-zinc-400">{label}</dt>
          <dd className="min-w-0 [overflow-wrap:anywhere] sm:col-span-2">
            {value ?? <span className="text-zinc-400">—</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
