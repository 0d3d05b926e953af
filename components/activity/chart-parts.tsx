"use client";

import { Download } from "lucide-react";
import { toast } from "sonner";
import type { TooltipContentProps } from "recharts";
import { formatCount } from "@/components/format";
import { Button } from "@/components/ui/button";
import { bucketLabel } from "@/lib/activity/format";
import type { Bucket } from "@/lib/activity/types";

/** Both charts' plot height, in pixels: fixed, so the page does not jump when the chart measures its width. */
export const CHART_HEIGHT = 260;

/**
 * The size ResponsiveContainer assumes until it has measured its box. Recharts draws the SVG only in the
 * browser: the server-rendered page holds a box of the chart's height, and the summary and the table (both
 * server-rendered) carry the numbers.
 */
export const INITIAL_DIMENSION = { width: 720, height: CHART_HEIGHT };

export const AXIS_TICK = { fill: "var(--chart-axis)", fontSize: 12 };
export const AXIS_LINE = { stroke: "var(--chart-grid)" };

/** "1 registration", "4,210 tokens". */
export function countOf(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** "a, b and c". */
export function listInWords(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The table's first column's heading: the bucket, and the time zone its times are in. */
export function bucketHeading(bucket: Bucket): string {
  return bucket === "hour" ? "Hour (UTC)" : "Day (UTC)";
}

/**
 * The charts' tooltip, in the console's card style: the bucket (in UTC) and each series with its swatch.
 * Zeros are left out when `hideZeros` (the five refusal reasons would otherwise fill it with noise).
 */
export function ChartTooltip({
  active,
  payload,
  label,
  bucket,
  hideZeros = false,
}: Partial<TooltipContentProps> & { bucket: Bucket; hideZeros?: boolean }) {
  if (!active || !payload?.length || typeof label !== "string") return null;
  const rows = payload.filter((entry) => !hideZeros || Number(entry.value) !== 0);
  return (
    <div className="rounded-md border border-zinc-200 bg-white px-3 py-2 text-xs shadow-md dark:border-zinc-700 dark:bg-zinc-900">
      <p className="font-medium text-zinc-900 dark:text-zinc-100">{bucketLabel(label, bucket)} UTC</p>
      {rows.length === 0 ? (
        <p className="mt-1 text-zinc-600 dark:text-zinc-400">No activity</p>
      ) : (
        <ul className="mt-1 space-y-0.5">
          {rows.map((entry) => (
            <li key={String(entry.dataKey ?? entry.name)} className="flex items-center gap-2">
              <span
                aria-hidden
                className="inline-block h-2.5 w-2.5 shrink-0 rounded-sm"
                style={{ background: entry.color }}
              />
              <span className="text-zinc-700 dark:text-zinc-300">{entry.name}</span>
              <span className="ml-auto pl-3 font-medium tabular-nums text-zinc-900 dark:text-zinc-100">
                {formatCount(Number(entry.value))}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export type LegendItem = { key: string; name: string; colour: string; kind: "bar" | "line" | "dashed" };

/**
 * The chart's legend, as HTML below the plot rather than inside it: it wraps on a phone without squeezing the
 * plot, and keeps the series' order. Hidden from screen readers like the plot (the table names every series).
 */
export function ChartLegend({ items }: { items: LegendItem[] }) {
  return (
    <ul
      aria-hidden
      className="mt-2 flex flex-wrap justify-center gap-x-4 gap-y-1 text-xs text-zinc-700 dark:text-zinc-300"
    >
      {items.map((item) => (
        <li key={item.key} className="flex items-center gap-1.5">
          {item.kind === "bar" ? (
            <span className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: item.colour }} />
          ) : (
            <svg width="16" height="4" className="shrink-0">
              <line
                x1="0"
                y1="2"
                x2="16"
                y2="2"
                stroke={item.colour}
                strokeWidth="2"
                strokeDasharray={item.kind === "dashed" ? "4 2" : undefined}
              />
            </svg>
          )}
          {item.name}
        </li>
      ))}
    </ul>
  );
}

/** A vertical marker's label sits on the side of the line with room for it. */
export function markerLabelPosition(x: string, starts: string[]): "insideTopLeft" | "insideTopRight" {
  return starts.indexOf(x) > (starts.length * 2) / 3 ? "insideTopRight" : "insideTopLeft";
}

/** Saves the CSV `build` returns, made in the browser from the numbers the page already has. */
export function CsvDownloadButton({ filename, build }: { filename: string; build: () => string }) {
  const name = filename.endsWith(".csv") ? filename : `${filename}.csv`;
  return (
    <Button
      type="button"
      variant="secondary"
      className="shrink-0"
      onClick={() => {
        const url = URL.createObjectURL(new Blob([build()], { type: "text/csv;charset=utf-8" }));
        const link = Object.assign(document.createElement("a"), { href: url, download: name });
        document.body.append(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
        toast.success(`Saved ${name}`);
      }}
    >
      <Download aria-hidden className="h-4 w-4" />
      Download CSV
    </Button>
  );
}

/** Over an empty chart's axes: why there is nothing to see. */
export function EmptyChartNote({ children }: { children: React.ReactNode }) {
  return (
    <div className="pointer-events-none absolute inset-0 flex items-center justify-center px-6">
      <p className="rounded-md bg-white/90 px-3 py-2 text-center text-sm text-zinc-600 dark:bg-zinc-900/90 dark:text-zinc-400">
        {children}
      </p>
    </div>
  );
}

/** The numbers behind a chart, one click away and always in the page (for screen readers, and to read exactly). */
export function NumbersDetails({ children }: { children: React.ReactNode }) {
  return (
    <details className="border-t border-zinc-200 dark:border-zinc-800">
      <summary className="cursor-pointer px-5 py-3 text-sm font-medium text-indigo-700 hover:underline dark:text-indigo-300">
        Show the numbers
      </summary>
      <div className="pb-2">{children}</div>
    </details>
  );
}

export const CAPTION = "px-5 pb-2 text-left text-xs text-zinc-600 dark:text-zinc-400";
export const NUMBER_CELL = "px-5 py-2 text-right tabular-nums";

/** A column of a chart's numbers table: its key (`data-total` of its total) and the data attribute of its cells. */
export type NumberColumn = { key: string; cellData: Record<`data-${string}`, string> };

/**
 * The numbers table's body and footer, as both charts write them: a row per bucket with activity (`data-start`),
 * its time in UTC as the row header, one cell per column, then the totals.
 */
export function BucketRows({
  bucket,
  rows,
  columns,
  totals,
}: {
  bucket: Bucket;
  rows: { start: string; values: number[] }[];
  columns: NumberColumn[];
  totals: number[];
}) {
  return (
    <>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {rows.map((row) => (
          <tr key={row.start} data-start={row.start} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
            <th scope="row" className="whitespace-nowrap px-5 py-2 text-left font-normal">
              <time dateTime={row.start}>{bucketLabel(row.start, bucket)}</time>
            </th>
            {columns.map((c, i) => (
              <td key={c.key} {...c.cellData} className={NUMBER_CELL}>
                {formatCount(row.values[i] ?? 0)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      <tfoot className="border-t border-zinc-200 font-medium dark:border-zinc-700">
        <tr>
          <th scope="row" className="px-5 py-2 text-left">
            Total
          </th>
          {columns.map((c, i) => (
            <td key={c.key} data-total={c.key} className={NUMBER_CELL}>
              {formatCount(totals[i] ?? 0)}
            </td>
          ))}
        </tr>
      </tfoot>
    </>
  );
}

/** A marker's label on either chart (a revocation): beside its line, on the side with room. */
export const markerLabel = (value: string, x: string, starts: string[]) => ({
  value,
  position: markerLabelPosition(x, starts),
  fill: "var(--chart-marker)",
  fontSize: 12,
});
