import { json, orgRoute, readJson, searchParams } from "@/lib/api/handler";
import { createApplication, listApplications } from "@/lib/applications/service";

export const GET = orgRoute(async ({ request, scope }) =>
  json(await listApplications(scope, searchParams(request))),
);

export const POST = orgRoute(async ({ request, scope }) =>
  json(await createApplication(scope, await readJson(request)), 201),
);
