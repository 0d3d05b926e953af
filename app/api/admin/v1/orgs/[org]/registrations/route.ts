import { json, orgRoute, searchParams } from "@/lib/api/handler";
import { listRegistrations } from "@/lib/registrations/service";

/** `?statementId=&applicationId=&platform=&status=active|cut_off&from=&to=&simulated=show|hide|only` */
export const GET = orgRoute(async ({ request, scope }) =>
  json(await listRegistrations(scope, searchParams(request))),
);
