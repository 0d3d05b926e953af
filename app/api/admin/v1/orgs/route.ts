import { adminRoute, json } from "@/lib/api/handler";
import { listVisibleOrganizations } from "@/lib/organizations/service";

export const GET = adminRoute(async ({ caller }) =>
  json({ items: await listVisibleOrganizations(caller), nextCursor: null }),
);
