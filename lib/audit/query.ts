import "server-only";
import { db } from "@/lib/db";

export type AuditEventSummary = {
  id: string;
  createdAt: Date;
  action: string;
  actorEmail: string | null;
  actorRole: string | null;
  actingFor: boolean;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
};

/** An organization's newest events (its own chain only). Callers pass an organization they have scoped. */
export async function latestAuditEvents(organizationId: string, limit = 10): Promise<AuditEventSummary[]> {
  return db.auditEvent.findMany({
    where: { organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(limit, 200),
    select: {
      id: true,
      createdAt: true,
      action: true,
      actorEmail: true,
      actorRole: true,
      actingFor: true,
      targetType: true,
      targetId: true,
      ip: true,
    },
  });
}
