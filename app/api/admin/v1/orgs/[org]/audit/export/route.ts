import { orgRoute, searchParams } from "@/lib/api/handler";
import { exportAuditEvents } from "@/lib/audit/export";

/** `?format=csv|ndjson` and the list's filters: every matching event, streamed in batches. */
export const GET = orgRoute(async ({ request, scope }) => {
  const { filename, contentType, stream } = exportAuditEvents(scope, searchParams(request));
  return new Response(stream, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
});
