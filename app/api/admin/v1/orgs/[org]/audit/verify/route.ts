import { json, orgRoute } from "@/lib/api/handler";
import { verifyOrganizationAudit } from "@/lib/audit/query";

/**
 * Every chain of the organization (its own, its client lanes): `{ ok: true, checked }` or
 * `{ ok: false, checked, brokenAt: { chain, lane, eventId, seq, reason } }`.
 */
export const GET = orgRoute(async ({ scope }) => json(await verifyOrganizationAudit(scope)));
