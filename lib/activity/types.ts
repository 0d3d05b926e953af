/**
 * What the activity charts, the Overview and `GET /orgs/{org}/activity` show: hourly counts of what the client
 * endpoints did, kept by the hot path as it happens (lib/dcr/store) and summed here per bucket. Plain data,
 * safe to hand to client components.
 */

/** Why a client request was refused, as the rollups count it. */
export const REFUSAL_REASONS = [
  "revokedAtRegister",
  "revokedAtToken",
  "badSecret",
  "throttled",
  "invalidStatement",
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];
export const isRefusal = (counter: string): counter is RefusalReason =>
  (REFUSAL_REASONS as readonly string[]).includes(counter);

export const REFUSAL_LABELS: Record<RefusalReason, string> = {
  revokedAtRegister: "Revoked statement (registration)",
  revokedAtToken: "Revoked client (token)",
  badSecret: "Wrong client secret",
  throttled: "Throttled",
  invalidStatement: "Invalid statement",
};

/**
 * Every counter a rollup row keeps. `newDevices`: registrations from a device the statement had not seen;
 * `statementFetches`: fetches of it from its application's statement URL.
 */
export const COUNTERS = [
  "registrations",
  "newDevices",
  "tokens",
  ...REFUSAL_REASONS,
  "statementFetches",
] as const;
export type Counter = (typeof COUNTERS)[number];
export type ActivityCounts = Record<Counter, number>;

/** Every counter at zero. */
export const zeroCounts = () => Object.fromEntries(COUNTERS.map((c) => [c, 0])) as ActivityCounts;

export type Bucket = "hour" | "day";

/** One bucket of a series: its start (ISO 8601, UTC) and its counts. */
export type ActivityPoint = ActivityCounts & { start: string };

/** A dense series: every bucket in [from, to), zeros included, oldest first. */
export type ActivitySeries = { bucket: Bucket; from: string; to: string; points: ActivityPoint[] };

/** The Overview's switch: the last 24 hours by hour, or the last 7 or 30 days by day. */
export const RANGES = { "24h": "Last 24 hours", "7d": "Last 7 days", "30d": "Last 30 days" } as const;
export type Range = keyof typeof RANGES;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** The start of the UTC hour (or day) `at` falls in: the bucket a rollup row keeps it under. */
export const bucketStart = (at: Date | number, bucket: Bucket = "hour") => {
  const size = bucket === "hour" ? HOUR_MS : DAY_MS;
  return new Date(Math.floor(new Date(at).getTime() / size) * size);
};

/** The application page's chart: one line per statement (its registrations + tokens per bucket). */
export type StatementLines = {
  bucket: Bucket;
  from: string;
  to: string;
  statements: { id: string; label: string; status: "active" | "revoked"; revokedAt: string | null }[];
  /** One entry per bucket; `values[i]` belongs to `statements[i]`. */
  points: { start: string; values: number[] }[];
};
