import { json, orgRoute, readJson } from "@/lib/api/handler";
import { addTrustedIssuer, listTrustedIssuers } from "@/lib/issuers/service";

export const GET = orgRoute(async ({ scope }) =>
  json({ items: await listTrustedIssuers(scope), nextCursor: null }),
);

export const POST = orgRoute(async ({ request, scope }) =>
  json(await addTrustedIssuer(scope, await readJson(request)), 201),
);
