import { json, orgRoute, searchParams } from "@/lib/api/handler";
import { listDeliveries } from "@/lib/webhooks/service";

/** The delivery log, newest first: `?limit=&cursor=` like every list. */
export const GET = orgRoute<{ org: string; id: string }>(async ({ request, params, scope }) =>
  json(await listDeliveries(scope, params.id, searchParams(request))),
);
