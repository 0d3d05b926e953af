import "server-only";
import { cache } from "react";
import { z } from "zod";
import { isRep, type Caller, type OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";
import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { SUPPORTED_DATES, supportedDate } from "@/lib/validation";
import type { Prisma } from "@/lib/generated/prisma/client";
import { dailySums, sumsSinceAndEver, wholeDays } from "./daily";
import {
  bucketStart,
  COUNTERS,
  DAY_MS,
  HOUR_MS,
  REFUSAL_REASONS,
  type ActivityCounts,
  type ActivityPoint,
  type ActivitySeries,
  type Bucket,
  type Counter,
  type Range,
  type RefusalReason,
  type StatementLines,
  zeroCounts,
} from "./types";

/**
 * Reads of the activity rollups (ActivityRollup, kept by the client endpoints as they answer): the Overview's
 * figures, the charts, the activity API and the re-registration flag. Each is one indexed range of the rollup
 * table summed by the database, never a count of registrations or tokens.
 */

/** What one series covers: [from, to) in `bucket`s, optionally narrowed to a statement or an application. */
export type ActivityQuery = {
  from: Date;
  to: Date;
  bucket: Bucket;
  statementId?: string;
  applicationId?: string;
};

/** The longest span each bucket size may cover in one request (744 hourly or 366 daily points). */
export const MAX_SPAN: Record<Bucket, number> = { hour: 31 * DAY_MS, day: 366 * DAY_MS };

const id = z.string().trim().min(1).max(64);
const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], {
    error: "Use a date such as 2026-11-27 or a date-time such as 2026-11-27T10:00:00Z.",
  })
  .transform((text) => new Date(text))
  .refine(supportedDate, { error: SUPPORTED_DATES });

const queryFields = {
  bucket: z.enum(["hour", "day"]).default("day"),
  from: instant.optional(),
  to: instant.optional(),
  statementId: id.optional(),
  applicationId: id.optional(),
};

/** Whole buckets: `from` rounded down, `to` up (by default the end of the current one), the span bounded. */
function toQuery(q: z.output<z.ZodObject<typeof queryFields>>, ctx: z.RefinementCtx): ActivityQuery {
  const bucket = q.bucket;
  const end = ceilToBucket(q.to ?? new Date(Date.now() + 1), bucket);
  const from = bucketStart(q.from ?? end.getTime() - 30 * size(bucket), bucket);
  if (from >= end) ctx.addIssue({ code: "custom", path: ["from"], message: "from must be before to." });
  if (end.getTime() - from.getTime() > MAX_SPAN[bucket]) {
    ctx.addIssue({
      code: "custom",
      path: ["from"],
      message: `One request covers at most ${MAX_SPAN[bucket] / DAY_MS} days by ${bucket}.`,
    });
  }
  return { from, to: end, bucket, statementId: q.statementId, applicationId: q.applicationId };
}

/**
 * The activity API's query string, `?from&to&bucket&statementId&applicationId&format` (defaults: the last 30
 * days by day): the series' query and `format=json|csv` (unset: by Accept). */
export const activityRequestSchema = z
  .object({
    ...queryFields,
    format: z.enum(["json", "csv"], { error: "Use format=json or format=csv." }).optional(),
  })
  .strict()
  .transform(({ format, ...q }, ctx) => ({ format, query: toQuery(q, ctx) }));

function ceilToBucket(at: Date, bucket: Bucket): Date {
  const start = bucketStart(at, bucket);
  return start.getTime() === at.getTime() ? start : new Date(start.getTime() + size(bucket));
}

const size = (bucket: Bucket) => (bucket === "hour" ? HOUR_MS : DAY_MS);

/** The Overview's and the pages' windows: the last 24 hours by hour, the last 7 or 30 days by day (UTC). */
export function rangeQuery(range: Range, now = new Date()): ActivityQuery {
  const bucket: Bucket = range === "24h" ? "hour" : "day";
  const count = range === "24h" ? 24 : range === "7d" ? 7 : 30;
  const to = new Date(bucketStart(now, bucket).getTime() + size(bucket));
  return { bucket, to, from: new Date(to.getTime() - count * size(bucket)) };
}

const sums = Object.fromEntries(COUNTERS.map((c) => [c, true])) as Record<keyof ActivityCounts, true>;
const countsOf = (sum: Partial<Record<keyof ActivityCounts, number | null>>): ActivityCounts => {
  const counts = zeroCounts();
  for (const c of COUNTERS) counts[c] = sum[c] ?? 0;
  return counts;
};

/**
 * Whether the organization holds the statement or application, asked once per page render: a statement's page
 * reads its series, its re-registration figures and its refusals since its revocation, an application's page
 * its lines, re-registration figures and statement fetches, each of which checks the id (one query each,
 * ~0.5-1 ms of Prisma's per-query work).
 * React's `cache` keeps the answer for the one server render; elsewhere (the admin API) it asks every time.
 */
const statementOf = cache((organizationId: string, id: string) =>
  db.softwareStatement.findFirst({ where: { id, organizationId }, select: { id: true, revokedAt: true } }),
);
const applicationOf = cache((organizationId: string, id: string) =>
  db.application.findFirst({ where: { id, organizationId }, select: { id: true } }),
);

/**
 * The rows of `scope`'s organization a query names: a statement or an application of another organization
 * (or none) is a 404, as everywhere in the console.
 */
async function whereOf(scope: OrgScope, q: ActivityQuery): Promise<Prisma.ActivityRollupWhereInput> {
  const organizationId = scope.org.id;
  const [statement, application] = await Promise.all([
    q.statementId && statementOf(organizationId, q.statementId),
    q.applicationId && applicationOf(organizationId, q.applicationId),
  ]);
  if (q.statementId && !statement) throw new NotFoundError("Statement");
  if (q.applicationId && !application) throw new NotFoundError("Application");
  return {
    organizationId,
    bucket: { gte: q.from, lt: q.to },
    ...(q.statementId && { statementId: q.statementId }),
    ...(q.applicationId && { applicationId: q.applicationId }),
  };
}

/** Every bucket of [from, to), oldest first. */
function bucketsOf(q: Pick<ActivityQuery, "from" | "to" | "bucket">): number[] {
  const starts = [];
  for (let t = q.from.getTime(); t < q.to.getTime(); t += size(q.bucket)) starts.push(t);
  return starts;
}

/** One series of counts: every bucket of the query's span, zeros included. */
export async function activitySeries(scope: OrgScope, q: ActivityQuery): Promise<ActivitySeries> {
  const where = await whereOf(scope, q);
  const byBucket = new Map(bucketsOf(q).map((t) => [t, zeroCounts()]));
  const add = (t: number, sum: Partial<Record<Counter, number | null>>) => {
    const counts = byBucket.get(t);
    if (counts) for (const c of COUNTERS) counts[c] += sum[c] ?? 0;
  };
  if (q.bucket === "day" && wholeDays(q.from, q.to)) {
    // Summed by day in the database (./daily.ts): a row per day instead of 24.
    const days = await dailySums({ ...q, organizationId: scope.org.id });
    for (const { day, counts } of days) add(day, counts);
  } else {
    const rows = await db.activityRollup.groupBy({ by: ["bucket"], where, _sum: sums });
    for (const row of rows) add(bucketStart(row.bucket, q.bucket).getTime(), row._sum);
  }
  const points: ActivityPoint[] = [...byBucket].map(([t, counts]) => ({
    start: new Date(t).toISOString(),
    ...counts,
  }));
  return { bucket: q.bucket, from: q.from.toISOString(), to: q.to.toISOString(), points };
}

/** Lines drawn at most on the application chart; quieter statements are summed into one "Other" line. */
const MAX_LINES = 8;

/** The application page's chart: each statement's registrations and tokens per bucket. */
export async function statementLines(
  scope: OrgScope,
  applicationId: string,
  range: Range,
): Promise<StatementLines> {
  const q = { ...rangeQuery(range), applicationId };
  const where = await whereOf(scope, q);
  const traffic = new Map<string, Map<number, number>>();
  const add = (statementId: string, t: number, served: number) => {
    const line = traffic.get(statementId) ?? new Map<number, number>();
    line.set(t, (line.get(t) ?? 0) + served);
    traffic.set(statementId, line);
  };
  if (q.bucket === "day" && wholeDays(q.from, q.to)) {
    const days = await dailySums({ ...q, organizationId: scope.org.id }, { perStatement: true });
    for (const { statementId, day, counts } of days)
      add(statementId!, day, counts.registrations + counts.tokens);
  } else {
    const rows = await db.activityRollup.groupBy({
      by: ["statementId", "bucket"],
      where,
      _sum: { registrations: true, tokens: true },
    });
    for (const row of rows) {
      const served = (row._sum.registrations ?? 0) + (row._sum.tokens ?? 0);
      add(row.statementId, bucketStart(row.bucket, q.bucket).getTime(), served);
    }
  }
  const total = (line: Map<number, number>) => [...line.values()].reduce((a, b) => a + b, 0);
  const ranked = [...traffic].sort(([, a], [, b]) => total(b) - total(a));
  const shown = ranked.length > MAX_LINES ? ranked.slice(0, MAX_LINES - 1) : ranked;
  const statements = await db.softwareStatement.findMany({
    where: { id: { in: shown.map(([statementId]) => statementId) }, organizationId: scope.org.id },
    select: { id: true, fingerprint: true, status: true, revokedAt: true, createdAt: true },
  });
  const lines = shown.flatMap(([statementId, line]) => {
    const s = statements.find((s) => s.id === statementId);
    if (!s) return [];
    return [
      {
        statement: {
          id: s.id,
          label: `${s.fingerprint.slice(0, 12)}…`,
          status: s.status === "REVOKED" ? ("revoked" as const) : ("active" as const),
          revokedAt: s.revokedAt?.toISOString() ?? null,
        },
        line,
      },
    ];
  });
  const others = ranked.slice(shown.length);
  if (others.length > 0) {
    const line = new Map<number, number>();
    for (const [, l] of others) for (const [t, n] of l) line.set(t, (line.get(t) ?? 0) + n);
    const label = `${others.length} other statements`;
    lines.push({ statement: { id: "other", label, status: "active", revokedAt: null }, line });
  }
  return {
    bucket: q.bucket,
    from: q.from.toISOString(),
    to: q.to.toISOString(),
    statements: lines.map((l) => l.statement),
    points: bucketsOf(q).map((t) => ({
      start: new Date(t).toISOString(),
      values: lines.map((l) => l.line.get(t) ?? 0),
    })),
  };
}

/**
 * What a revoked statement's devices did after the revocation: every refusal for the revocation (a registration
 * presenting it, a token request of one of its clients) and when the last one came. Null while it is active.
 */
export async function refusalsAfterRevocation(
  scope: OrgScope,
  statementId: string,
): Promise<{ refusals: number; last: string | null } | null> {
  const statement = await statementOf(scope.org.id, statementId);
  if (!statement) throw new NotFoundError("Statement");
  if (!statement.revokedAt) return null;
  // Both reasons happen only once the statement is revoked, so the revocation's hour counts whole.
  const sum = await db.activityRollup.aggregate({
    where: { statementId, bucket: { gte: bucketStart(statement.revokedAt) } },
    _sum: { revokedAtRegister: true, revokedAtToken: true },
    _max: { lastRefusalAt: true },
  });
  const refusals = (sum._sum.revokedAtRegister ?? 0) + (sum._sum.revokedAtToken ?? 0);
  return { refusals, last: refusals > 0 ? (sum._max.lastRefusalAt?.toISOString() ?? null) : null };
}

// ── Re-registration (the FAQ's anti-pattern: a new client each time instead of a token refresh) ──────────────

/** Registrations over the window below which no statement is flagged: too few to tell a habit from a reinstall. */
export const REREGISTRATION_MIN = 20;
/** Flagged when at least this share of the window's registrations came from devices that had registered before. */
export const REREGISTRATION_SHARE = 0.3;
export const REREGISTRATION_WINDOW_DAYS = 7;

export type ReRegistration = {
  /** Over the last REREGISTRATION_WINDOW_DAYS days. */
  registrations: number;
  /** Registrations from a device the statement had already registered. */
  repeatRegistrations: number;
  tokens: number;
  /** repeatRegistrations / registrations (null without registrations). */
  repeatShare: number | null;
  /** Token requests per registration: a healthy app refreshes many times per registration. */
  tokensPerRegistration: number | null;
  flagged: boolean;
};

export function reRegistrationOf(counts: Pick<ActivityCounts, "registrations" | "newDevices" | "tokens">) {
  const { registrations, tokens } = counts;
  const repeatRegistrations = registrations - counts.newDevices;
  const repeatShare = registrations > 0 ? repeatRegistrations / registrations : null;
  return {
    registrations,
    repeatRegistrations,
    tokens,
    repeatShare,
    tokensPerRegistration: registrations > 0 ? tokens / registrations : null,
    flagged: registrations >= REREGISTRATION_MIN && (repeatShare ?? 0) >= REREGISTRATION_SHARE,
  } satisfies ReRegistration;
}

const reRegistrationWindow = (now = new Date()) => ({
  gte: new Date(bucketStart(now).getTime() - (REREGISTRATION_WINDOW_DAYS * 24 - 1) * HOUR_MS),
});

/** Since the first registration: how many distinct devices registered, and how often each did on average. */
export type Lifetime = { registrations: number; devices: number; registrationsPerDevice: number | null };

/** The re-registration figures of one statement or one application of `scope`'s organization. */
export async function reRegistration(
  scope: OrgScope,
  of: { statementId: string } | { applicationId: string },
): Promise<ReRegistration & { lifetime: Lifetime }> {
  const [recent, ever] = await recentAndEver(scope, of, ["registrations", "newDevices", "tokens"]);
  const { registrations, newDevices: devices } = ever;
  return {
    ...reRegistrationOf(recent),
    lifetime: {
      registrations,
      devices,
      registrationsPerDevice: devices > 0 ? registrations / devices : null,
    },
  };
}

/** Sums of `counters` for one statement or application of `scope`'s organization: the last 7 days, and ever. */
async function recentAndEver<C extends Counter>(
  scope: OrgScope,
  of: { statementId: string } | { applicationId: string },
  counters: C[],
): Promise<[Record<C, number>, Record<C, number>]> {
  await whereOf(scope, { ...rangeQuery("7d"), ...of }); // the statement or application is the organization's
  const { recent, ever } = await sumsSinceAndEver({
    ...of,
    organizationId: scope.org.id,
    since: reRegistrationWindow().gte,
  });
  const only = (sums: Record<Counter, number>) =>
    Object.fromEntries(counters.map((c) => [c, sums[c]])) as Record<C, number>;
  return [only(recent), only(ever)];
}

export type FlaggedStatement = ReRegistration & {
  statementId: string;
  fingerprint: string;
  applicationId: string;
  applicationName: string;
};

/** The statements of `scope`'s organization whose devices register again instead of refreshing their token. */
export async function reRegisteringStatements(scope: OrgScope): Promise<FlaggedStatement[]> {
  const rows = await db.activityRollup.groupBy({
    by: ["statementId"],
    where: { organizationId: scope.org.id, bucket: reRegistrationWindow() },
    _sum: { registrations: true, newDevices: true, tokens: true },
  });
  const flagged = rows
    .map((row) => ({ statementId: row.statementId, ...reRegistrationOf(countsOf(row._sum)) }))
    .filter((r) => r.flagged)
    .sort((a, b) => b.repeatRegistrations - a.repeatRegistrations);
  if (flagged.length === 0) return []; // the usual case: no statement to look up
  const statements = await db.softwareStatement.findMany({
    where: { id: { in: flagged.map((f) => f.statementId) }, organizationId: scope.org.id },
    select: { id: true, fingerprint: true, application: { select: { id: true, name: true } } },
  });
  return flagged.flatMap((f) => {
    const s = statements.find((s) => s.id === f.statementId);
    return s
      ? [
          {
            ...f,
            fingerprint: s.fingerprint,
            applicationId: s.application.id,
            applicationName: s.application.name,
          },
        ]
      : [];
  });
}

// ── The Overview's figures and the representatives' view ──────────────────────────────────────────────────

/** Registrations and tokens over the last 24 hours and 7 days (whole hours: the current one and those before). */
export async function activityTotals(scope: OrgScope, now = new Date()) {
  const hourAgo = (hours: number) => new Date(bucketStart(now).getTime() - (hours - 1) * HOUR_MS);
  const window = (hours: number) =>
    db.activityRollup.aggregate({
      where: { organizationId: scope.org.id, bucket: { gte: hourAgo(hours) } },
      _sum: { registrations: true, tokens: true },
    });
  const [day, week] = await Promise.all([window(24), window(7 * 24)]);
  return {
    registrations24h: day._sum.registrations ?? 0,
    registrations7d: week._sum.registrations ?? 0,
    tokens24h: day._sum.tokens ?? 0,
    tokens7d: week._sum.tokens ?? 0,
  };
}

export type OrganizationRefusals = {
  organization: { id: string; slug: string; name: string };
  refusals: Record<RefusalReason, number>;
  total: number;
  last: string | null;
};

/**
 * Which organizations' devices are being refused: refusals by reason per organization over the last `hours`
 * whole hours, most first. For support representatives only (it spans organizations).
 */
export async function refusalsAcrossOrganizations(
  caller: Caller,
  hours = 24,
  now = new Date(),
): Promise<OrganizationRefusals[]> {
  if (!isRep(caller))
    throw new ForbiddenError("Only support representatives see every organization's refusals.");
  const since = new Date(bucketStart(now).getTime() - (hours - 1) * HOUR_MS);
  const refusalSums = Object.fromEntries(REFUSAL_REASONS.map((r) => [r, true])) as Record<
    RefusalReason,
    true
  >;
  const rows = await db.activityRollup.groupBy({
    by: ["organizationId"],
    where: { bucket: { gte: since } },
    _sum: refusalSums,
    _max: { lastRefusalAt: true },
  });
  const counted = rows
    .map((row) => {
      const refusals = Object.fromEntries(REFUSAL_REASONS.map((r) => [r, row._sum[r] ?? 0])) as Record<
        RefusalReason,
        number
      >;
      const total = REFUSAL_REASONS.reduce((n, r) => n + refusals[r], 0);
      return { organizationId: row.organizationId, refusals, total, last: row._max.lastRefusalAt };
    })
    .filter((r) => r.total > 0)
    .sort((a, b) => b.total - a.total);
  const organizations = await db.organization.findMany({
    where: { id: { in: counted.map((c) => c.organizationId) } },
    select: { id: true, slug: true, name: true },
  });
  return counted.flatMap(({ organizationId, last, ...c }) => {
    const organization = organizations.find((o) => o.id === organizationId);
    return organization ? [{ organization, ...c, last: last?.toISOString() ?? null }] : [];
  });
}

/** How often apps fetched an application's statements from its statement URL: the last 7 days, and ever. */
export async function statementFetches(scope: OrgScope, applicationId: string) {
  const [recent, ever] = await recentAndEver(scope, { applicationId }, ["statementFetches"]);
  return { recent: recent.statementFetches, total: ever.statementFetches };
}
