import Link from "next/link";
import { RANGES, type Range } from "@/lib/activity/types";

export type RangeSwitchProps = {
  /** The range shown now (parseRange of the page's `?range=`). */
  value: Range;
  /** The page's other search params, kept in every link (`range` itself is replaced). */
  searchParams?: Record<string, string | string[] | undefined>;
  /** What the switch is for, for screen readers ("Time range" unless told). */
  label?: string;
};

const SHORT: Record<Range, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days" };

/** The activity charts' period: three links in a segmented control, the current one marked for screen readers. */
export function RangeSwitch({ value, searchParams = {}, label = "Time range" }: RangeSwitchProps) {
  return (
    <nav aria-label={label}>
      <ul className="inline-flex rounded-md p-0.5 ring-1 ring-inset ring-zinc-300 dark:ring-zinc-700">
        {(Object.keys(RANGES) as Range[]).map((range) => {
          const current = range === value;
          return (
            <li key={range}>
              <Link
                href={`?${rangeQuery(searchParams, range)}`}
                aria-current={current ? "page" : undefined}
                title={RANGES[range]}
                scroll={false}
                className={`block rounded px-3 py-1.5 text-sm font-medium transition-colors ${
                  current
                    ? "bg-indigo-600 text-white shadow-sm"
                    : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                }`}
              >
                {SHORT[range]}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The search params with `range` set, the others as they were (repeated ones repeated). */
export function rangeQuery(
  searchParams: Record<string, string | string[] | undefined>,
  range: Range,
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(searchParams)) {
    if (key === "range" || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) query.append(key, v);
  }
  query.set("range", range);
  return query.toString();
}
