"use client";

import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatCount } from "@/components/format";
import { TableScroll } from "@/components/ui/table";
import { Card, CardHeader } from "@/components/ui/card";
import { activityCsv } from "@/lib/activity/csv";
import { bucketOf, countTicks, periodPhrase, tickLabel } from "@/lib/activity/format";
import { exactTime } from "@/lib/time-format";
import {
  COUNTERS,
  REFUSAL_LABELS,
  REFUSAL_REASONS,
  type ActivityPoint,
  type ActivitySeries,
  type Counter,
  type RefusalReason,
} from "@/lib/activity/types";
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
  type LegendItem,
  markerLabel,
  BucketRows,
  listInWords,
  NumbersDetails,
} from "./chart-parts";

export type ActivityMarker = { at: string; label: string };

export type ActivityChartProps = {
  series: ActivitySeries;
  title: string;
  description?: string;
  /** Moments to draw as vertical lines (a statement's revocation), in the bucket they fall in. */
  markers?: ActivityMarker[];
  /** The downloaded file's name (".csv" is added when missing). */
  csvName: string;
};

const REFUSAL_COLOURS: Record<RefusalReason, string> = {
  revokedAtRegister: "var(--chart-revoked-at-register)",
  revokedAtToken: "var(--chart-revoked-at-token)",
  badSecret: "var(--chart-bad-secret)",
  throttled: "var(--chart-throttled)",
  invalidStatement: "var(--chart-invalid-statement)",
};

/** The table's columns, in the CSV's order of interest: what happened, then why requests were refused. */
const COUNTS: { counter: Counter; label: string }[] = [
  { counter: "registrations", label: "Registrations" },
  { counter: "newDevices", label: "New devices" },
  { counter: "tokens", label: "Tokens" },
];
const REFUSALS = REFUSAL_REASONS.map((r) => ({ counter: r, label: REFUSAL_LABELS[r] }));
const COLUMNS = [...COUNTS, ...REFUSALS];

const LEGEND: LegendItem[] = [
  { key: "registrations", name: "Registrations", colour: "var(--chart-registrations)", kind: "bar" },
  ...REFUSAL_REASONS.map((r): LegendItem => ({
    key: r,
    name: `Refused: ${REFUSAL_LABELS[r]}`,
    colour: REFUSAL_COLOURS[r],
    kind: "bar",
  })),
  { key: "tokens", name: "Tokens (right axis)", colour: "var(--chart-tokens)", kind: "line" },
];

const refusals = (p: ActivityPoint) => REFUSAL_REASONS.reduce((sum, r) => sum + p[r], 0);
const hasActivity = (p: ActivityPoint) => COUNTERS.some((c) => p[c] !== 0);

/**
 * What the client endpoints did per hour or day: registrations (bars) and tokens (a line, on their own axis:
 * they outnumber everything else), and the refused requests stacked by reason. Beside it, always, the same
 * numbers in words and in a table, and a CSV of them.
 */
export function ActivityChart({ series, title, description, markers = [], csvName }: ActivityChartProps) {
  const { bucket, points } = series;
  const period = periodPhrase(series.from, series.to);
  const totals = Object.fromEntries(
    COUNTERS.map((c) => [c, points.reduce((sum, p) => sum + p[c], 0)]),
  ) as Record<Counter, number>;
  const refused = REFUSAL_REASONS.reduce((sum, r) => sum + totals[r], 0);
  const active = points.filter(hasActivity);
  const empty = active.length === 0;
  const starts = points.map((p) => p.start);
  const drawn = markers.flatMap((m) => {
    const x = bucketOf(m.at, starts, series.to);
    return x === null ? [] : [{ ...m, x }];
  });
  // An all-zero chart still shows its axes, with a few steps rather than one line at 0.
  const countAxis = countTicks(Math.max(...points.map((p) => Math.max(p.registrations, refusals(p)))));
  const tokenAxis = countTicks(Math.max(...points.map((p) => p.tokens)));

  return (
    <Card>
      <CardHeader
        title={title}
        description={description}
        action={<CsvDownloadButton filename={csvName} build={() => activityCsv(series)} />}
      />
      <div className="px-5 pt-4">
        <p className="text-sm text-zinc-700 dark:text-zinc-300" data-testid="activity-summary">
          {empty
            ? `No activity in ${period}.`
            : `${listInWords([
                countOf(totals.registrations, "registration"),
                countOf(totals.tokens, "token"),
                countOf(refused, "refusal"),
              ])} in ${period}.`}
          {markers.map((m) => (
            <span key={`${m.label}-${m.at}`}>
              {" "}
              {m.label}: {exactTime(new Date(m.at))}.
            </span>
          ))}
        </p>
        <div className="relative mt-3" style={{ height: CHART_HEIGHT }}>
          {/* The summary above and the table below say what the chart shows, to screen readers too. */}
          <div aria-hidden className="h-full overflow-hidden">
            <ResponsiveContainer width="100%" height={CHART_HEIGHT} initialDimension={INITIAL_DIMENSION}>
              <ComposedChart
                data={points}
                margin={{ top: 16, right: 4, bottom: 0, left: -12 }}
                barGap={1}
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
                  yAxisId="count"
                  allowDecimals={false}
                  domain={[0, countAxis.at(-1) ?? 4]}
                  ticks={countAxis}
                  tickFormatter={formatCount}
                  tick={AXIS_TICK}
                  axisLine={false}
                  tickLine={false}
                />
                <YAxis
                  yAxisId="tokens"
                  orientation="right"
                  allowDecimals={false}
                  domain={[0, tokenAxis.at(-1) ?? 4]}
                  ticks={tokenAxis}
                  tickFormatter={formatCount}
                  tick={{ ...AXIS_TICK, fill: "var(--chart-tokens)" }}
                  axisLine={false}
                  tickLine={false}
                  width={48}
                />
                {!empty && (
                  <Tooltip
                    content={<ChartTooltip bucket={bucket} hideZeros />}
                    cursor={{ fill: "var(--chart-grid)", fillOpacity: 0.4 }}
                    isAnimationActive={false}
                  />
                )}
                <Bar
                  yAxisId="count"
                  dataKey="registrations"
                  name="Registrations"
                  fill="var(--chart-registrations)"
                  isAnimationActive={false}
                  maxBarSize={24}
                />
                {REFUSAL_REASONS.map((r) => (
                  <Bar
                    key={r}
                    yAxisId="count"
                    dataKey={r}
                    name={`Refused: ${REFUSAL_LABELS[r]}`}
                    stackId="refused"
                    fill={REFUSAL_COLOURS[r]}
                    isAnimationActive={false}
                    maxBarSize={24}
                  />
                ))}
                {/* Always drawn, so an empty chart keeps both axes; but no line along 0 then. */}
                <Line
                  yAxisId="tokens"
                  dataKey="tokens"
                  name="Tokens (right axis)"
                  type="monotone"
                  stroke={empty ? "none" : "var(--chart-tokens)"}
                  strokeWidth={2}
                  dot={false}
                  activeDot={!empty}
                  isAnimationActive={false}
                />
                {drawn.map((m) => (
                  <ReferenceLine
                    key={`${m.label}-${m.at}`}
                    yAxisId="count"
                    x={m.x}
                    stroke="var(--chart-marker)"
                    strokeDasharray="4 3"
                    label={markerLabel(m.label, m.x, starts)}
                  />
                ))}
              </ComposedChart>
            </ResponsiveContainer>
          </div>
          {empty && <EmptyChartNote>No registrations, tokens or refusals yet in this period.</EmptyChartNote>}
        </div>
        {!empty && <ChartLegend items={LEGEND} />}
        <p className="mt-1 pb-3 text-right text-xs text-zinc-500 dark:text-zinc-400">
          Times in UTC, per {bucket}.
        </p>
      </div>
      {!empty && (
        <NumbersDetails>
          <TableScroll>
            <table data-testid="activity-table" className="w-full text-sm">
              <caption className={CAPTION}>
                {title}: {bucket === "hour" ? "hours" : "days"} with activity in {period}, times in UTC.
              </caption>
              <colgroup span={4} />
              <colgroup span={REFUSAL_REASONS.length} />
              <thead className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
                <tr>
                  <th
                    rowSpan={2}
                    scope="col"
                    className="whitespace-nowrap px-5 py-2.5 text-left align-bottom font-medium"
                  >
                    {bucketHeading(bucket)}
                  </th>
                  {COUNTS.map((c) => (
                    <th
                      key={c.counter}
                      rowSpan={2}
                      scope="col"
                      className="px-5 py-2.5 text-right align-bottom font-medium"
                    >
                      {c.label}
                    </th>
                  ))}
                  <th
                    colSpan={REFUSAL_REASONS.length}
                    scope="colgroup"
                    className="border-b border-zinc-200 px-5 pt-2.5 pb-1 text-center font-medium dark:border-zinc-800"
                  >
                    Refused
                  </th>
                </tr>
                <tr>
                  {REFUSALS.map((c) => (
                    <th
                      key={c.counter}
                      scope="col"
                      className="px-5 py-2.5 text-right align-bottom font-medium normal-case"
                    >
                      {c.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <BucketRows
                bucket={bucket}
                rows={active.map((p) => ({ start: p.start, values: COLUMNS.map((c) => p[c.counter]) }))}
                columns={COLUMNS.map((c) => ({ key: c.counter, cellData: { "data-counter": c.counter } }))}
                totals={COLUMNS.map((c) => totals[c.counter])}
              />
            </table>
          </TableScroll>
        </NumbersDetails>
      )}
    </Card>
  );
}
