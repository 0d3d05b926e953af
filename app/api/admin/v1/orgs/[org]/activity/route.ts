import { activityCsv } from "@/lib/activity/csv";
import { activityRequestSchema, activitySeries } from "@/lib/activity/service";
import { attachment, json, orgRoute, preferredType, searchParams } from "@/lib/api/handler";
import { parseInput } from "@/lib/validation";

/**
 * `?bucket=hour|day&from=&to=&statementId=&applicationId=&format=json|csv`: the organization's activity
 * counts per UTC bucket, every bucket of the span (docs/console.md, "Activity API"). CSV with `format=csv` or
 * `Accept: text/csv`.
 */
export const GET = orgRoute(async ({ request, scope }) => {
  const { format, query } = parseInput(activityRequestSchema, searchParams(request), "Invalid filter.");
  const series = await activitySeries(scope, query);
  const type =
    format ?? (preferredType(request, ["application/json", "text/csv"]) === "text/csv" ? "csv" : "json");
  if (type === "json") return json(series);
  return attachment(activityCsv(series), {
    filename: `activity-${scope.org.slug}-${series.bucket}.csv`,
    contentType: "text/csv; charset=utf-8",
  });
});
