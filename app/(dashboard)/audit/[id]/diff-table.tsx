import type { DiffEntry } from "@/lib/audit/diff";
import { CELL, TableHead, TableScroll } from "@/components/ui/table";

const MARKERS = {
  added: { sign: "+", label: "Added", className: "bg-emerald-50 dark:bg-emerald-950/30" },
  removed: { sign: "−", label: "Removed", className: "bg-red-50 dark:bg-red-950/30" },
  changed: { sign: "~", label: "Changed", className: "bg-amber-50 dark:bg-amber-950/30" },
} as const;

function Value({ value }: { value: unknown }) {
  if (value === undefined) return <span className="text-zinc-400">—</span>;
  return (
    <code className="whitespace-pre-wrap break-all font-mono text-xs">
      {typeof value === "string" ? value : JSON.stringify(value, null, 1)}
    </code>
  );
}

/** Before/after, one row per added, removed or changed field; the kind is written out, not only coloured. */
export function DiffTable({ entries }: { entries: DiffEntry[] }) {
  if (entries.length === 0) {
    return (
      <p className="px-5 py-4 text-sm text-zinc-600 dark:text-zinc-400">No recorded change of fields.</p>
    );
  }
  return (
    <TableScroll>
      <table className="w-full text-left text-sm" aria-label="Changes">
        <TableHead columns={["Change", "Field", "Before", "After"]} />
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {entries.map((e) => {
            const m = MARKERS[e.kind];
            return (
              <tr key={e.path} className={m.className}>
                <td className={`${CELL} whitespace-nowrap font-medium`}>
                  <span aria-hidden="true" className="mr-1 font-mono">
                    {m.sign}
                  </span>
                  {m.label}
                </td>
                <td className={`${CELL} font-mono text-xs`}>{e.path}</td>
                <td className={CELL}>
                  <Value value={e.kind === "added" ? undefined : e.before} />
                </td>
                <td className={CELL}>
                  <Value value={e.kind === "removed" ? undefined : e.after} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
