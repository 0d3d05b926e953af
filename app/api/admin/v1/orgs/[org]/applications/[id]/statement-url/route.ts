import { json, orgRoute, readJson } from "@/lib/api/handler";
import { setStatementUrl } from "@/lib/applications/service";

/** `{ enabled: true|false }`: turns the application's statement URL on or off → 200 with the application. */
export const POST = orgRoute<{ org: string; id: string }>(async ({ request, params, scope }) =>
  json(await setStatementUrl(scope, params.id, await readJson(request))),
);
