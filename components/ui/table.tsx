/** A table's header row: small uppercase column names. */
export function TableHead({ columns }: { columns: (string | { label: string; align: "right" })[] }) {
  return (
    <thead className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
      <tr>
        {columns.map((c) => {
          const { label, align } = typeof c === "string" ? { label: c, align: "left" } : c;
          return (
            <th
              key={label}
              scope="col"
              className={`px-5 py-2.5 font-medium ${align === "right" ? "text-right" : ""}`}
            >
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

export const ROW = "hover:bg-zinc-50 dark:hover:bg-zinc-800/50";
export const CELL = "px-5 py-3";

/**
 * A table's box: the table scrolls inside it rather than widening the page. `relative` makes it the containing
 * block of the cells' visually hidden (absolutely positioned) text, which would otherwise escape the scroll and
 * widen the page after all.
 */
export function TableScroll({ children }: { children: React.ReactNode }) {
  return <div className="relative overflow-x-auto">{children}</div>;
}
