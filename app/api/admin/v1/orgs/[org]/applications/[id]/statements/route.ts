import { json, orgRoute } from "@/lib/api/handler";
import { generateStatement } from "@/lib/statements/service";

/** Issues a new statement for the application: each call signs a fresh one. */
export const POST = orgRoute<{ org: string; id: string }>(async ({ params, scope }) =>
  json(await generateStatement(scope, params.id), 201),
);
