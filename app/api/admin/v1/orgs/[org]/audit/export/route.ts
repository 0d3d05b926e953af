import { attachment, orgRoute, searchParams } from "@/lib/api/handler";
import { exportAuditEvents } from "@/lib/audit/export";

/** `?format=csv|ndjson` and the list's filters: every matching event, streamed in batches. */
export const GET = orgRoute(async ({ request, scope }) => {
  const { filename, contentType, stream } = exportAuditEvents(scope, searchParams(request));
  return attachment(stream, { filename, contentType });
});
