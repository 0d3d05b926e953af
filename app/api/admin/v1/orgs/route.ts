import { adminRoute, json, readJson } from "@/lib/api/handler";
import { createOrganization, listVisibleOrganizations } from "@/lib/organizations/service";

export const GET = adminRoute(async ({ caller }) =>
  json({ items: await listVisibleOrganizations(caller), nextCursor: null }),
);

// Representatives only: `{ slug, name, admin: { email, name } }`; the first admin's temporary password, when
// the account is new, is in this response only.
export const POST = adminRoute(async ({ request, caller }) =>
  json(await createOrganization(caller, await readJson(request)), 201),
);
