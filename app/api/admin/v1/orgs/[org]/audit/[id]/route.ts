import { json, orgRoute } from "@/lib/api/handler";
import { getAuditEvent } from "@/lib/audit/query";

export const GET = orgRoute<{ org: string; id: string }>(async ({ params, scope }) =>
  json(await getAuditEvent(scope, params.id)),
);
