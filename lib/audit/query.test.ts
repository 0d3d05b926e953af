import { describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import type { OrgScope } from "@/lib/auth/scope";

freshTestDatabase();
const { db } = await import("@/lib/db");
const { withAudit } = await import("./record");
const { listAuditEvents } = await import("./query");

const ctx = {
  actor: { userId: null, email: "admin@acme.test", role: "ADMIN", actingFor: false },
  request: { requestId: null, ip: null, userAgent: null },
};

describe("the audit filter", () => {
  it("matches action names whatever their case, on SQLite and PostgreSQL alike", async () => {
    const org = await db.organization.create({ data: { slug: "filter-case", name: "Filter case" } });
    for (const action of ["statement.revoked", "statement.generated", "application.created"])
      await withAudit(ctx, (_tx, audit) => audit({ action, organizationId: org.id }));
    const scope = { org: { id: org.id, slug: org.slug, name: org.name } } as OrgScope;
    const actions = async (filter: string) =>
      (await listAuditEvents(scope, { action: filter })).items.map((e) => e.action).sort();
    expect(await actions("Statement.*")).toEqual(["statement.generated", "statement.revoked"]);
    expect(await actions("statement.*")).toEqual(["statement.generated", "statement.revoked"]);
    expect(await actions("STATEMENT.REVOKED")).toEqual(["statement.revoked"]);
  });
});
