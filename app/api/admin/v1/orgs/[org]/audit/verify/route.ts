import { json, orgRoute } from "@/lib/api/handler";
import { verifyOrganizationAudit } from "@/lib/audit/query";

/** `{ ok: true, checked }` or `{ ok: false, checked, brokenAt: { eventId, seq, reason } }`. */
export const GET = orgRoute(async ({ scope }) => json(await verifyOrganizationAudit(scope)));
