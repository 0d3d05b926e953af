/**
 * How the activity charts write a bucket and a period. Always in UTC (the buckets are UTC hours and days), and
 * the charts say so. Pure: pages and client components alike.
 */
import type { Bucket } from "./types";

const HOUR = new Intl.DateTimeFormat("en-US", { hour: "2-digit", hourCycle: "h23", timeZone: "UTC" });
const DAY = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const DAY_YEAR = new Intl.DateTimeFormat("en-US", {
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});

/** An axis tick: "14:00" for an hour, "Nov 27" for a day. */
export function tickLabel(start: string, bucket: Bucket): string {
  const date = new Date(start);
  return bucket === "hour" ? `${HOUR.format(date)}:00` : DAY.format(date);
}

/** A table row or tooltip: "Nov 27, 14:00" for an hour, "Nov 27, 2026" for a day (UTC, said by the caller). */
export function bucketLabel(start: string, bucket: Bucket): string {
  const date = new Date(start);
  return bucket === "hour" ? `${DAY.format(date)}, ${HOUR.format(date)}:00` : DAY_YEAR.format(date);
}

/** "the last 24 hours", "the last 7 days": the span of [from, to). */
export function periodPhrase(from: string, to: string): string {
  const hours = Math.round((Date.parse(to) - Date.parse(from)) / 3_600_000);
  if (!Number.isFinite(hours) || hours <= 0) return "this period";
  if (hours <= 48) return hours === 1 ? "the last hour" : `the last ${hours} hours`;
  const days = Math.round(hours / 24);
  return `the last ${days} days`;
}

/** The start of the bucket `at` falls in, among `starts` (oldest first); null outside them. */
export function bucketOf(at: string, starts: string[], to: string): string | null {
  const moment = Date.parse(at);
  if (!Number.isFinite(moment) || moment >= Date.parse(to)) return null;
  let found: string | null = null;
  for (const start of starts) if (Date.parse(start) <= moment) found = start;
  return found;
}

/**
 * A count axis's ticks: 0 and up to five steps of 1, 2 or 5 times a power of ten, covering `max` (at least 4, so
 * an empty chart still shows its steps).
 */
export function countTicks(max: number): number[] {
  const top = Math.max(4, Math.ceil(max));
  let unit = 1;
  for (let power = 1; Math.ceil(top / unit) > 5; power *= 10)
    unit = [1, 2, 5, 10].map((m) => m * power).find((u) => Math.ceil(top / u) <= 5) ?? power * 10;
  return Array.from({ length: Math.ceil(top / unit) + 1 }, (_, i) => i * unit);
}
