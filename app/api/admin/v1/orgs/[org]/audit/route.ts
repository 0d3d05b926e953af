import { json, orgRoute, searchParams } from "@/lib/api/handler";
import { listAuditEvents } from "@/lib/audit/query";

/** `?action=statement.revoked|statement.*&actor=<email>&targetId=&since=&until=&limit=&cursor=` */
export const GET = orgRoute(async ({ request, scope }) =>
  json(await listAuditEvents(scope, searchParams(request))),
);
