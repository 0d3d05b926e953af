import { json, orgRoute, readJson } from "@/lib/api/handler";
import { replaceStatement } from "@/lib/statements/service";

/** Revoke-and-replace: `{ reason }` → 201 `{ revoked, replacement }` (the replacement with its JWT). */
export const POST = orgRoute<{ org: string; id: string }>(async ({ request, params, scope }) =>
  json(await replaceStatement(scope, params.id, await readJson(request)), 201),
);
