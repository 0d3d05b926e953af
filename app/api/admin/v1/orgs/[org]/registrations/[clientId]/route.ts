import { json, orgRoute } from "@/lib/api/handler";
import { getRegistration } from "@/lib/registrations/service";

export const GET = orgRoute<{ org: string; clientId: string }>(async ({ params, scope }) =>
  json(await getRegistration(scope, params.clientId)),
);
