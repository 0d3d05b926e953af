import { json, orgRoute, readJson } from "@/lib/api/handler";
import { revokeStatement } from "@/lib/statements/service";

export const POST = orgRoute<{ org: string; id: string }>(async ({ request, params, scope }) =>
  json(await revokeStatement(scope, params.id, await readJson(request))),
);
