import { spawn } from "node:child_process";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/database";

const file = freshTestDatabase();
const { withAudit, verifyAuditChain } = await import("@/lib/audit");
const { db } = await import("@/lib/db");

const ctx = {
  actor: { userId: "u1", email: "admin@acme.test", role: "ADMIN", actingFor: false },
  request: { requestId: "req-1", ip: "127.0.0.1", userAgent: "vitest" },
};

async function newOrg(slug: string) {
  return db.organization.create({ data: { slug, name: slug } });
}

function runAppender(organizationId: string, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        "test/append-audit-events.ts",
        organizationId,
        String(count),
      ],
      { env: { ...process.env, DATABASE_URL: `file:${file}` }, stdio: "inherit" },
    );
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`appender exited ${code}`))));
  });
}

describe("audit trail", () => {
  let orgId: string;
  beforeAll(async () => {
    orgId = (await newOrg("chain-test")).id;
  });

  it("commits an event together with the change it records, redacting secrets", async () => {
    const org = await withAudit(ctx, async (tx, audit) => {
      const created = await tx.organization.create({ data: { slug: "with-event", name: "With event" } });
      await audit({
        action: "org.created",
        organizationId: created.id,
        targetType: "organization",
        targetId: created.id,
        after: { name: created.name, client_secret: "do-not-store-me" },
      });
      return created;
    });
    const events = await db.auditEvent.findMany({ where: { organizationId: org.id } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: "org.created",
      actorEmail: "admin@acme.test",
      ip: "127.0.0.1",
      requestId: "req-1",
      seq: 1,
      chain: `org:${org.id}`,
    });
    expect(events[0]!.after).not.toContain("do-not-store-me");
  });

  it("writes neither the change nor the event when the change fails", async () => {
    await expect(
      withAudit(ctx, async (tx, audit) => {
        const created = await tx.organization.create({ data: { slug: "rolled-back", name: "Rolled back" } });
        await audit({ action: "org.created", organizationId: created.id });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await db.organization.findUnique({ where: { slug: "rolled-back" } })).toBeNull();
    expect(
      await db.auditEvent.count({ where: { action: "org.created", organizationId: { not: null } } }),
    ).toBe(1);
  });

  it("never forks a chain under concurrent writers in several processes", async () => {
    await Promise.all([runAppender(orgId, 40), runAppender(orgId, 40), runAppender(orgId, 40)]);
    const seqs = (
      await db.auditEvent.findMany({
        where: { chain: `org:${orgId}` },
        select: { seq: true },
        orderBy: { seq: "asc" },
      })
    ).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(await verifyAuditChain(orgId)).toEqual({ ok: true, checked: 120 });
  }, 60_000);

  it("refuses to change or delete an event at the database level", () => {
    const raw = new Database(file);
    try {
      expect(() => raw.prepare(`UPDATE AuditEvent SET action = 'x'`).run()).toThrow(/append-only/);
      expect(() => raw.prepare(`DELETE FROM AuditEvent`).run()).toThrow(/append-only/);
    } finally {
      raw.close();
    }
  });

  it("names the first event where someone with database access tampered with the chain", async () => {
    const victim = await db.auditEvent.findFirstOrThrow({ where: { chain: `org:${orgId}`, seq: 57 } });
    const raw = new Database(file);
    try {
      raw.exec(`DROP TRIGGER "AuditEvent_no_update"; DROP TRIGGER "AuditEvent_no_delete";`);
      raw.prepare(`UPDATE AuditEvent SET after = '{"i":-1}' WHERE id = ?`).run(victim.id);
      expect(await verifyAuditChain(orgId)).toEqual({
        ok: false,
        checked: 56,
        brokenAt: { eventId: victim.id, seq: 57, reason: "hash_mismatch" },
      });

      // Recomputing the tampered event's own hash does not help: the next event's link no longer matches.
      const { hashEvent } = await import("./chain");
      const tampered = raw.prepare(`SELECT * FROM AuditEvent WHERE id = ?`).get(victim.id) as Record<
        string,
        unknown
      >;
      const rehashed = hashEvent({
        ...(await db.auditEvent.findUniqueOrThrow({ where: { id: victim.id } })),
      });
      raw.prepare(`UPDATE AuditEvent SET hash = ? WHERE id = ?`).run(rehashed, tampered.id);
      const next = await db.auditEvent.findFirstOrThrow({ where: { chain: `org:${orgId}`, seq: 58 } });
      expect(await verifyAuditChain(orgId)).toMatchObject({
        ok: false,
        brokenAt: { eventId: next.id, reason: "prev_hash_mismatch" },
      });

      raw.prepare(`DELETE FROM AuditEvent WHERE chain = ? AND seq = 10`).run(`org:${orgId}`);
      expect(await verifyAuditChain(orgId)).toMatchObject({
        ok: false,
        checked: 9,
        brokenAt: { seq: 11, reason: "gap" },
      });
    } finally {
      raw.close();
    }
  });
});
