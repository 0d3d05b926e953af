import { json, orgRoute } from "@/lib/api/handler";
import { getApplication } from "@/lib/applications/service";

export const GET = orgRoute<{ org: string; id: string }>(async ({ params, scope }) =>
  json(await getApplication(scope, params.id)),
);
