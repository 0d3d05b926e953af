/**
 * The console's one way to write a moment: relative ("3 hours ago"), with the exact time beside it (on hover in
 * pages, in parentheses in plain text). Pure functions, for pages, client components and messages alike.
 */
const RELATIVE = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 hours ago", "in 5 minutes", "yesterday", "just now". */
export function relativeTime(date: Date, now: number = Date.now()): string {
  const seconds = (date.getTime() - now) / 1000;
  if (Math.abs(seconds) < 45) return "just now";
  for (const [unit, size] of UNITS)
    if (Math.abs(seconds) >= size * 0.95) return RELATIVE.format(Math.round(seconds / size), unit);
  return RELATIVE.format(Math.round(seconds / 60), "minute");
}

/**
 * The two formatters of a time zone, made once: constructing an `Intl.DateTimeFormat` loads ICU's patterns for
 * its locale and zone (~0.3–1 ms), formatting with one costs ~15 µs. A list of 25 registrations shows 50 times,
 * so making them per call was most of its page's render. A page is seen in a few zones: the map stays small.
 */
const FORMATTERS = new Map<string, { exact: Intl.DateTimeFormat; zoneName: Intl.DateTimeFormat }>();
const FORMATTERS_MAX = 64;

function formattersOf(timeZone: string) {
  let formatters = FORMATTERS.get(timeZone);
  if (!formatters) {
    formatters = {
      exact: new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone }),
      zoneName: new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "short" }),
    };
    if (FORMATTERS.size >= FORMATTERS_MAX) FORMATTERS.clear();
    FORMATTERS.set(timeZone, formatters);
  }
  return formatters;
}

/** "27 Nov 2026, 10:15 UTC": the exact time in `timeZone` (the viewer's, in the browser), named. */
export function exactTime(date: Date, timeZone = "UTC"): string {
  const { exact, zoneName } = formattersOf(timeZone);
  const name = zoneName.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? timeZone;
  return `${exact.format(date)} ${name}`;
}

/** For plain text (messages, labels): "3 hours ago (27 Nov 2026, 10:15 UTC)". */
export function timeInText(date: Date, now: number = Date.now()): string {
  return `${relativeTime(date, now)} (${exactTime(date)})`;
}
