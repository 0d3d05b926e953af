import "server-only";
import { sql, type Kysely, type RawBuilder } from "kysely";
import { db, dbProvider } from "@/lib/db";
import { Statement, type Dialect } from "@/lib/sql/statement";
import type { Tables } from "@/lib/sql/tables";
import { COUNTERS, DAY_MS, type Counter } from "./types";

/**
 * Sums of the rollups that the database adds up itself, where Prisma would read more rows or run more queries.
 * By day (UTC): the rows are hourly, and Prisma's groupBy can only group by the stored hour, so a 30-day chart
 * read 720 rows per statement through Prisma and folded them into days here, ~7 ms of the Overview at 1M
 * registrations against ~1 ms for the 30 rows of the days' sums (measured alone, at load ~4 on 2 cores;
 * docs/performance.md). Since a moment and ever: one query instead of two aggregates. Written once for both
 * databases (lib/sql/statement.ts), run on Prisma's connection as lib/audit/record.ts runs the appender.
 */

/** Every row of a statement, on Prisma's connection. */
async function rowsOf<A extends object, R>(statement: Statement<A, R>, args: A): Promise<R[]> {
  const compiled = statement.for(dbProvider)!;
  const rows: R[] = [];
  for (const values of compiled.calls(args))
    rows.push(...((await db.$queryRawUnsafe(compiled.sql, ...values)) as R[]));
  return rows;
}

/** The day of an hour's bucket, as "YYYY-MM-DD" on both databases. */
const DAY_OF_BUCKET: Record<Dialect, RawBuilder<string>> = {
  sqlite: sql<string>`substr(${sql.ref("bucket")}, 1, 10)`, // stored as ISO 8601 text, in UTC
  postgresql: sql<string>`to_char(date_trunc('day', ${sql.ref("bucket")}), 'YYYY-MM-DD')`,
};

/** What the sums cover: an organization's rows in [from, to), perhaps only a statement's or an application's. */
type Narrow = "organization" | "statement" | "application";
type Args = { organizationId: string; from: Date; to: Date; statementId: string; applicationId: string };
type Row = { day: string; statementId?: string } & Record<Counter, number | bigint | null>;

function dailyStatement(narrow: Narrow, perStatement: boolean) {
  const build = (dialect: Dialect) => (kysely: Kysely<Tables>, p: Args) => {
    const day = DAY_OF_BUCKET[dialect];
    let query = kysely
      .selectFrom("ActivityRollup")
      .select(day.as("day"))
      .select((eb) => COUNTERS.map((c) => eb.fn.sum<number>(c).as(c)))
      .where("organizationId", "=", p.organizationId)
      .where("bucket", ">=", p.from)
      .where("bucket", "<", p.to);
    if (narrow === "statement") query = query.where("statementId", "=", p.statementId);
    if (narrow === "application") query = query.where("applicationId", "=", p.applicationId);
    return perStatement ? query.select("statementId").groupBy(["statementId", day]) : query.groupBy(day);
  };
  const name = `activity_daily_${narrow}${perStatement ? "_per_statement" : ""}`;
  return new Statement<Args, Row>(name, { sqlite: build("sqlite"), postgresql: build("postgresql") });
}

const STATEMENTS = {
  organization: dailyStatement("organization", false),
  statement: dailyStatement("statement", false),
  application: dailyStatement("application", false),
  applicationPerStatement: dailyStatement("application", true),
};

export type DailyQuery = {
  organizationId: string;
  from: Date;
  to: Date;
  statementId?: string;
  applicationId?: string;
};
export type DailySums = { day: number; statementId?: string; counts: Record<Counter, number> };

/**
 * Each day's sums in [from, to) (`from` and `to` whole UTC days), days without activity left out; per statement
 * too when asked. A statement or an application narrows the rows (the caller has checked they are the
 * organization's).
 */
export async function dailySums(q: DailyQuery, { perStatement = false } = {}): Promise<DailySums[]> {
  const statement = perStatement
    ? STATEMENTS.applicationPerStatement
    : q.statementId
      ? STATEMENTS.statement
      : q.applicationId
        ? STATEMENTS.application
        : STATEMENTS.organization;
  if (perStatement && !q.applicationId) throw new Error("Sums per statement are read for one application.");
  const args: Args = {
    organizationId: q.organizationId,
    from: q.from,
    to: q.to,
    statementId: q.statementId ?? "",
    applicationId: q.applicationId ?? "",
  };
  const rows = await rowsOf(statement, args);
  return rows.map((row) => ({
    day: Date.parse(`${row.day}T00:00:00.000Z`),
    ...(perStatement && { statementId: String(row.statementId) }),
    counts: Object.fromEntries(COUNTERS.map((c) => [c, Number(row[c] ?? 0)])) as Record<Counter, number>,
  }));
}

/** Whether [from, to) is made of whole UTC days (what dailySums sums). */
export const wholeDays = (from: Date, to: Date) =>
  from.getTime() % DAY_MS === 0 && to.getTime() % DAY_MS === 0;

// ── A statement's or an application's sums since a moment, and ever, in one query ─────────────────────────────

type SinceArgs = { organizationId: string; since: Date; of: string };
type SinceRow = Record<`recent_${Counter}` | `ever_${Counter}`, number | bigint | null>;

function sinceStatement(of: "statementId" | "applicationId") {
  return new Statement<SinceArgs, SinceRow>(`activity_since_${of}`, (kysely, p) =>
    kysely
      .selectFrom("ActivityRollup")
      .select((eb) =>
        COUNTERS.flatMap((c) => [
          eb.fn
            .sum<number>(eb.case().when("bucket", ">=", p.since).then(eb.ref(c)).else(0).end())
            .as(`recent_${c}`),
          eb.fn.sum<number>(c).as(`ever_${c}`),
        ]),
      )
      .where("organizationId", "=", p.organizationId)
      .where(of, "=", p.of),
  );
}

const SINCE = { statementId: sinceStatement("statementId"), applicationId: sinceStatement("applicationId") };

/**
 * Every counter of one statement or application (the caller has checked it is the organization's): since
 * `since`, and ever. One query, where two of Prisma's aggregates cost a statement's page ~0.6-0.8 ms each.
 */
export async function sumsSinceAndEver(
  q: { organizationId: string; since: Date } & ({ statementId: string } | { applicationId: string }),
): Promise<{ recent: Record<Counter, number>; ever: Record<Counter, number> }> {
  const of = "statementId" in q ? "statementId" : "applicationId";
  const args: SinceArgs = {
    organizationId: q.organizationId,
    since: q.since,
    of: "statementId" in q ? q.statementId : q.applicationId,
  };
  const [row] = await rowsOf(SINCE[of], args);
  const pick = (prefix: "recent" | "ever") =>
    Object.fromEntries(COUNTERS.map((c) => [c, Number(row?.[`${prefix}_${c}`] ?? 0)])) as Record<
      Counter,
      number
    >;
  return { recent: pick("recent"), ever: pick("ever") };
}
