import "server-only";
import type { OrgScope } from "@/lib/auth/scope";
import { db } from "@/lib/db";

export async function countMembers(scope: OrgScope): Promise<number> {
  return db.membership.count({ where: { organizationId: scope.org.id, user: { disabled: false } } });
}

export async function listMembers(scope: OrgScope) {
  const rows = await db.membership.findMany({
    where: { organizationId: scope.org.id },
    include: { user: { select: { id: true, email: true, name: true, disabled: true } } },
    orderBy: [{ role: "asc" }, { createdAt: "asc" }],
    take: 500,
  });
  return rows.map((m) => ({ ...m.user, role: m.role, since: m.createdAt }));
}
