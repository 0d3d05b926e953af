"use client";

import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatCount } from "@/components/format";
import { Card, CardHeader } from "@/components/ui/card";
import { TableScroll } from "@/components/ui/table";
import { linesCsv } from "@/lib/activity/csv";
import { bucketOf, countTicks, periodPhrase, tickLabel } from "@/lib/activity/format";
import type { StatementLines } from "@/lib/activity/types";
import { exactTime } from "@/lib/time-format";
import {
  AXIS_LINE,
  AXIS_TICK,
  bucketHeading,
  CAPTION,
  CHART_HEIGHT,
  ChartTooltip,
  countOf,
  CsvDownloadButton,
  EmptyChartNote,
  INITIAL_DIMENSION,
  ChartLegend,
  markerLabel,
  BucketRows,
  NumbersDetails,
} from "./chart-parts";

export type StatementLinesChartProps = {
  lines: StatementLines;
  title?: string;
  description?: string;
  /** The downloaded file's name (".csv" is added when missing). */
  csvName?: string;
  /** Draw a vertical line where each revoked statement was revoked (default true). */
  showRevocations?: boolean;
};

/** Eight colours (globals.css), then they repeat: the legend and the table name every line. */
const SERIES_COLOURS = 8;
const colour = (i: number) => `var(--chart-series-${(i % SERIES_COLOURS) + 1})`;

/** Each statement's name in the legend, tooltip and table: its label, and whether it is revoked. */
const statementName = (s: StatementLines["statements"][number]) =>
  s.status === "revoked" ? `${s.label} (revoked)` : s.label;

/**
 * An application's statements side by side: one line per statement (its registrations plus tokens per bucket),
 * dashed once revoked. Beside it, the same numbers in words and in a table, and a CSV of them.
 */
export function StatementLinesChart({
  lines,
  title = "Activity by statement",
  description = "Registrations and tokens per statement.",
  csvName = "statement-activity",
  showRevocations = true,
}: StatementLinesChartProps) {
  const { bucket, statements, points } = lines;
  const period = periodPhrase(lines.from, lines.to);
  // Recharts reads each line from a key of the row; the statements' ids are not safe keys ("start", "a.b").
  const data = points.map((p) => ({
    start: p.start,
    ...Object.fromEntries(statements.map((_, i) => [`s${i}`, p.values[i] ?? 0])),
  }));
  const totals = statements.map((_, i) => points.reduce((sum, p) => sum + (p.values[i] ?? 0), 0));
  const total = totals.reduce((a, b) => a + b, 0);
  const active = points.filter((p) => p.values.some((v) => v !== 0));
  const empty = active.length === 0;
  const starts = points.map((p) => p.start);
  const revocations = showRevocations
    ? statements.flatMap((s) => {
        const x = s.revokedAt === null ? null : bucketOf(s.revokedAt, starts, lines.to);
        return x === null ? [] : [{ id: s.id, label: s.label, x }];
      })
    : [];
  const axis = countTicks(Math.max(0, ...points.flatMap((p) => p.values)));
  const busiest = statements.length > 1 && total > 0 ? totals.indexOf(Math.max(...totals)) : -1;

  return (
    <Card>
      <CardHeader
        title={title}
        description={description}
        action={<CsvDownloadButton filename={csvName} build={() => linesCsv(lines)} />}
      />
      <div className="px-5 pt-4">
        <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="lines-summary">
          {statements.length === 0
            ? "No statements yet."
            : empty
              ? `No activity in ${period}.`
              : `${countOf(total, "registration or token", "registrations and tokens")} across ${countOf(
                  statements.length,
                  "statement",
                )} in ${period}.`}
          {busiest >= 0 && ` Most from ${statements[busiest]?.label} (${formatCount(totals[busiest] ?? 0)}).`}
          {showRevocations &&
            statements
              .filter((s) => s.revokedAt !== null)
              .map((s) => (
                <span key={s.id}>
                  {" "}
                  {s.label} revoked {exactTime(new Date(s.revokedAt ?? ""))}.
                </span>
              ))}
        </p>
        <div className="relative mt-3" style={{ height: CHART_HEIGHT }}>
          {/* The summary above and the table below say what the chart shows, to screen readers too. */}
          <div aria-hidden className="h-full overflow-hidden">
            <ResponsiveContainer width="100%" height={CHART_HEIGHT} initialDimension={INITIAL_DIMENSION}>
              <LineChart
                data={data}
                margin={{ top: 16, right: 8, bottom: 0, left: -12 }}
                accessibilityLayer={false}
              >
                <CartesianGrid vertical={false} stroke="var(--chart-grid)" />
                <XAxis
                  dataKey="start"
                  tickFormatter={(start: string) => tickLabel(start, bucket)}
                  tick={AXIS_TICK}
                  axisLine={AXIS_LINE}
                  tickLine={AXIS_LINE}
                  minTickGap={16}
                />
                <YAxis
                  allowDecimals={false}
                  domain={[0, axis.at(-1) ?? 4]}
                  ticks={axis}
                  tickFormatter={formatCount}
                  tick={AXIS_TICK}
                  axisLine={false}
                  tickLine={false}
                />
                {!empty && (
                  <Tooltip
                    content={<ChartTooltip bucket={bucket} />}
                    cursor={{ stroke: "var(--chart-axis)", strokeDasharray: "3 3" }}
                    isAnimationActive={false}
                  />
                )}
                {statements.map((s, i) => (
                  <Line
                    key={s.id}
                    dataKey={`s${i}`}
                    name={statementName(s)}
                    type="monotone"
                    stroke={empty ? "none" : colour(i)}
                    strokeWidth={2}
                    strokeDasharray={s.status === "revoked" ? "6 4" : undefined}
                    dot={false}
                    activeDot={!empty}
                    isAnimationActive={false}
                  />
                ))}
                {/* Without statements there is no line, and no line would leave the chart without its y axis. */}
                {statements.length === 0 && (
                  <Line
                    dataKey={() => 0}
                    stroke="none"
                    dot={false}
                    activeDot={false}
                    isAnimationActive={false}
                  />
                )}
                {revocations.map((r) => (
                  <ReferenceLine
                    key={r.id}
                    x={r.x}
                    stroke="var(--chart-marker)"
                    strokeDasharray="4 3"
                    label={markerLabel(
                      `Revoked: ${r.label.length > 24 ? `${r.label.slice(0, 23)}…` : r.label}`,
                      r.x,
                      starts,
                    )}
                  />
                ))}
              </LineChart>
            </ResponsiveContainer>
          </div>
          {empty && (
            <EmptyChartNote>
              {statements.length === 0
                ? "No statements yet: their registrations and tokens will show here."
                : "No registrations or tokens yet in this period."}
            </EmptyChartNote>
          )}
        </div>
        {statements.length > 0 && (
          <ChartLegend
            items={statements.map((s, i) => ({
              key: s.id,
              name: statementName(s),
              colour: colour(i),
              kind: s.status === "revoked" ? "dashed" : "line",
            }))}
          />
        )}
        <p className="mt-1 pb-3 text-right text-xs text-zinc-500 dark:text-zinc-400">
          Times in UTC, per {bucket}.
          {statements.some((s) => s.status === "revoked") && " Dashed: revoked statements."}
        </p>
      </div>
      {!empty && (
        <NumbersDetails>
          <TableScroll>
            <table data-testid="lines-table" className="w-full text-sm">
              <caption className={CAPTION}>
                {title}: registrations and tokens per statement, {bucket === "hour" ? "hours" : "days"} with
                activity in {period}, times in UTC.
              </caption>
              <thead className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
                <tr>
                  <th scope="col" className="whitespace-nowrap px-5 py-2.5 text-left font-medium">
                    {bucketHeading(bucket)}
                  </th>
                  {statements.map((s) => (
                    <th
                      key={s.id}
                      scope="col"
                      data-statement={s.id}
                      className="px-5 py-2.5 text-right font-medium normal-case"
                    >
                      {statementName(s)}
                    </th>
                  ))}
                </tr>
              </thead>
              <BucketRows
                bucket={bucket}
                rows={active}
                columns={statements.map((s) => ({ key: s.id, cellData: { "data-statement": s.id } }))}
                totals={totals}
              />
            </table>
          </TableScroll>
        </NumbersDetails>
      )}
    </Card>
  );
}
