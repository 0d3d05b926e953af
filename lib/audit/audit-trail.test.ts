import { beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import { openSql } from "@/test/harness/server-sql";
import type { OrgScope } from "@/lib/auth/scope";

freshTestDatabase();
const { withAudit } = await import("@/lib/audit");
const { getAuditEvent, listAuditEvents, verifyOrganizationAudit } = await import("./query");
const { exportAuditEvents } = await import("./export");
const { db } = await import("@/lib/db");

const ctx = (email: string, actingFor = false) => ({
  actor: { userId: null, email, role: actingFor ? "REP" : "ADMIN", actingFor },
  request: { requestId: "req", ip: "203.0.113.7", userAgent: "vitest" },
});

async function scopeFor(slug: string): Promise<OrgScope> {
  const org = await db.organization.create({ data: { slug, name: slug } });
  const caller = {
    user: { id: "viewer", email: "viewer@test", name: "Viewer", role: "USER" as const },
    memberships: [{ id: org.id, slug, name: slug, role: "VIEWER" as const }],
    request: { requestId: null, ip: null, userAgent: null },
  };
  return { caller, org: { id: org.id, slug, name: slug }, role: "VIEWER", actingFor: false, canWrite: false };
}

async function record(scope: OrgScope, email: string, action: string, targetId: string, after: unknown) {
  await withAudit(ctx(email), (_tx, audit) =>
    audit({ action, organizationId: scope.org.id, targetType: action.split(".")[0], targetId, after }),
  );
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("the audit trail's list, export and verification", () => {
  let acme: OrgScope;
  let other: OrgScope;
  beforeAll(async () => {
    acme = await scopeFor("acme-trail");
    other = await scopeFor("other-trail");
    for (let i = 0; i < 1205; i++) {
      const kind =
        i % 3 === 0 ? "statement.revoked" : i % 3 === 1 ? "statement.generated" : "application.created";
      await record(acme, i % 2 ? "a@test" : "b@test", kind, `t${i % 5}`, {
        i,
        note: i === 4 ? '=cmd,"x"\n' : "ok",
      });
    }
    await record(other, "a@test", "statement.revoked", "t0", { secret: "other org" });
  }, 120_000);

  it("filters by action prefix, actor and object, and pages by cursor without repeating a row", async () => {
    const first = await listAuditEvents(acme, { action: "statement.*", actor: "a@test", limit: 200 });
    expect(first.items.every((e) => e.action.startsWith("statement.") && e.actorEmail === "a@test")).toBe(
      true,
    );
    const ids = new Set(first.items.map((e) => e.id));
    let cursor = first.nextCursor;
    while (cursor) {
      const next = await listAuditEvents(acme, {
        action: "statement.*",
        actor: "a@test",
        limit: 200,
        cursor,
      });
      for (const e of next.items) ids.add(e.id);
      cursor = next.nextCursor;
    }
    const expected = Array.from({ length: 1205 }, (_, i) => i).filter((i) => i % 2 === 1 && i % 3 !== 2);
    expect(ids.size).toBe(expected.length);

    const exact = await listAuditEvents(acme, { action: "statement.revoked", targetId: "t0", limit: 200 });
    expect(exact.items.every((e) => e.action === "statement.revoked" && e.targetId === "t0")).toBe(true);
    await expect(listAuditEvents(acme, { since: "not a date" })).rejects.toThrow("Invalid filter");
    expect((await listAuditEvents(acme, { until: "2000-01-01" })).items).toEqual([]);
  });

  it("never shows another organization's events", async () => {
    const theirs = await db.auditEvent.findFirstOrThrow({ where: { organizationId: other.org.id } });
    await expect(getAuditEvent(acme, theirs.id)).rejects.toThrow("not found");
    const mine = await listAuditEvents(acme, { targetId: "t0", limit: 200 });
    expect(mine.items.some((e) => e.id === theirs.id)).toBe(false);
  });

  it("exports every filtered event as NDJSON and as CSV, across batches", async () => {
    const ndjson = exportAuditEvents(acme, { format: "ndjson", action: "statement.revoked" });
    expect(ndjson.filename).toMatch(/^audit-acme-trail-\d{4}-\d{2}-\d{2}\.ndjson$/);
    const lines = (await readAll(ndjson.stream))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(402);
    expect(lines.every((l) => l.action === "statement.revoked" && l.organizationId === acme.org.id)).toBe(
      true,
    );
    expect(lines[0].after).toMatchObject({ i: 1203 });

    const csv = await readAll(exportAuditEvents(acme, { format: "csv" }).stream);
    expect(csv.startsWith("id,createdAt,seq,action,")).toBe(true);
    expect(csv.split("\r\n")[0]).toMatch(/,prevHash,hash,chain$/);
    expect(csv.split("\r\n").filter(Boolean)).toHaveLength(1206);
    // The one snapshot with a formula, comma, quote and newline stays one quoted, neutralised cell.
    expect(csv).toContain(`"{""i"":4,""note"":""=cmd,\\""x\\""\\n""}"`);
  });

  it("says the chain is intact, then names the first event someone tampered with", async () => {
    expect(await verifyOrganizationAudit(acme)).toEqual({ ok: true, checked: 1205 });
    const victim = await db.auditEvent.findFirstOrThrow({ where: { chain: `org:${acme.org.id}`, seq: 700 } });
    // As someone with direct access to the database would, past its append-only guard.
    const raw = await openSql(process.env.DATABASE_URL!);
    try {
      const changed = await raw.withoutAuditGuard(() =>
        raw.run(`UPDATE "AuditEvent" SET "actorEmail" = 'someone-else@test' WHERE "id" = ?`, victim.id),
      );
      expect(changed).toBe(1);
    } finally {
      await raw.close();
    }
    expect(await verifyOrganizationAudit(acme)).toEqual({
      ok: false,
      checked: 699,
      brokenAt: { chain: victim.chain, lane: null, eventId: victim.id, seq: 700, reason: "hash_mismatch" },
    });
    expect(await verifyOrganizationAudit(other)).toEqual({ ok: true, checked: 1 });
  });
});
