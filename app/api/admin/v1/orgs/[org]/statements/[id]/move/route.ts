import { json, orgRoute, readJson } from "@/lib/api/handler";
import { moveStatement } from "@/lib/statements/move";

export const POST = orgRoute<{ org: string; id: string }>(async ({ request, params, scope }) =>
  json(await moveStatement(scope, params.id, await readJson(request))),
);
