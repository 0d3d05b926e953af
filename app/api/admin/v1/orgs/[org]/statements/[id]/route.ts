import { json, orgRoute } from "@/lib/api/handler";
import { getStatement } from "@/lib/statements/service";

export const GET = orgRoute<{ org: string; id: string }>(async ({ params, scope }) =>
  json(await getStatement(scope, params.id)),
);
