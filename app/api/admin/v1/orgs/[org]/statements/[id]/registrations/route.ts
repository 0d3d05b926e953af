import { json, orgRoute, searchParams } from "@/lib/api/handler";
import { listRegistrations } from "@/lib/registrations/service";
import { getStatement } from "@/lib/statements/service";

/** Another organization's statement is a 404 here, not an empty list that would confirm it exists. */
export const GET = orgRoute<{ org: string; id: string }>(async ({ request, params, scope }) => {
  const statement = await getStatement(scope, params.id);
  return json(await listRegistrations(scope, { ...searchParams(request), statementId: statement.id }));
});
