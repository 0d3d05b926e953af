import { json, orgRoute, readJson, searchParams } from "@/lib/api/handler";
import { listStatements } from "@/lib/statements/service";
import { uploadStatement } from "@/lib/statements/upload";

export const GET = orgRoute(async ({ request, scope }) =>
  json(await listStatements(scope, searchParams(request))),
);

/** Upload: 201 with the new statement, or 200 with the one already stored (`duplicate: true`). */
export const POST = orgRoute(async ({ request, scope }) => {
  const { statement, duplicate } = await uploadStatement(scope, await readJson(request));
  return json({ ...statement, duplicate }, duplicate ? 200 : 201);
});
