/**
 * The activity charts' numbers as CSV (RFC 4180, the same cells as the audit export), built in the browser by
 * the charts' "Download CSV" buttons. Pure: no "server-only", client components import it.
 */
import { csvRow } from "@/lib/audit/csv";
import { REFUSAL_REASONS, type ActivitySeries, type RefusalReason, type StatementLines } from "./types";

const REFUSAL_COLUMNS: Record<RefusalReason, string> = {
  revokedAtRegister: "refused_revoked_at_register",
  revokedAtToken: "refused_revoked_at_token",
  badSecret: "refused_bad_secret",
  throttled: "refused_throttled",
  invalidStatement: "refused_invalid_statement",
};

/** One row per bucket (zeros included), its start in ISO 8601 UTC. */
export function activityCsv(series: ActivitySeries): string {
  const header = csvRow([
    "start",
    "registrations",
    "tokens",
    "new_devices",
    ...REFUSAL_REASONS.map((r) => REFUSAL_COLUMNS[r]),
    "statement_fetches",
  ]);
  return (
    header +
    series.points
      .map((p) =>
        csvRow([
          isoUtc(p.start),
          p.registrations,
          p.tokens,
          p.newDevices,
          ...REFUSAL_REASONS.map((r) => p[r]),
          p.statementFetches,
        ]),
      )
      .join("")
  );
}

/** One row per bucket, one column per statement (headed by its label, quoted as needed). */
export function linesCsv(lines: StatementLines): string {
  return (
    csvRow(["start", ...lines.statements.map((s) => s.label)]) +
    lines.points
      .map((p) => csvRow([isoUtc(p.start), ...lines.statements.map((_, i) => p.values[i] ?? 0)]))
      .join("")
  );
}

/** "2026-11-27T10:00:00.000Z" whatever offset the server wrote the start with. */
function isoUtc(start: string): string {
  const date = new Date(start);
  return Number.isNaN(date.getTime()) ? start : date.toISOString();
}
