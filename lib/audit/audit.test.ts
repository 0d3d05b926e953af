import { spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import { openSql } from "@/test/harness/server-sql";

freshTestDatabase();
/** This file's database as someone with direct access sees it (raw SQL, beside the app's client). */
const rawDatabase = () => openSql(process.env.DATABASE_URL!);
const { withAudit, verifyAuditChain } = await import("@/lib/audit");
const { db } = await import("@/lib/db");

const ctx = {
  actor: { userId: "u1", email: "admin@acme.test", role: "ADMIN", actingFor: false },
  request: { requestId: "req-1", ip: "127.0.0.1", userAgent: "vitest" },
};

/** Tampering: sets the target of the event at `seq` on `chain` (with the audit guard off). */
const targetSetter =
  (raw: Awaited<ReturnType<typeof rawDatabase>>, chain: string) => (seq: number, targetId: string) =>
    raw.run(`UPDATE "AuditEvent" SET "targetId" = ? WHERE "chain" = ? AND "seq" = ?`, targetId, chain, seq);

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
        "test/harness/append-audit-events.ts",
        organizationId,
        String(count),
      ],
      { env: { ...process.env }, stdio: "inherit" }, // DATABASE_URL: this file's fresh database
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

  it("refuses to change or delete an event at the database level", async () => {
    const raw = await rawDatabase();
    try {
      expect(await raw.get(`SELECT "id" FROM "AuditEvent" LIMIT 1`)).toBeDefined(); // there is something to refuse
      await expect(raw.run(`UPDATE "AuditEvent" SET "action" = 'x'`)).rejects.toThrow(/append-only/);
      await expect(raw.run(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    } finally {
      await raw.close();
    }
  });

  it("links each event of a batch committed together, and finds any one of them changed, removed or reordered", async () => {
    // What the client-facing hot path writes: a batch of events in one commit (one lock and head read per chain).
    const { appendAuditEvents } = await import("./append");
    const { openSqlExecutor } = await import("@/lib/sql/open");
    const batchOrg = (await newOrg("batch-chain")).id;
    const other = (await newOrg("batch-other")).id;
    const hotPath = openSqlExecutor(process.env.DATABASE_URL!);
    const entry = (organizationId: string, i: number) => ({
      ctx,
      entry: { action: "client.registered", organizationId, targetId: `c-${i}` },
    });
    try {
      await withAudit(ctx, (_tx, audit) => audit({ action: "test.before", organizationId: batchOrg }));
      // Two chains interleaved in one batch: each keeps its own order.
      const rows = await hotPath.transaction(() =>
        appendAuditEvents([0, 1, 2, 3, 4, 5].map((i) => entry(i % 3 ? batchOrg : other, i))),
      );
      expect(rows.map((r) => [r.chain, r.seq])).toEqual([
        [`org:${other}`, 1],
        [`org:${batchOrg}`, 2],
        [`org:${batchOrg}`, 3],
        [`org:${other}`, 2],
        [`org:${batchOrg}`, 4],
        [`org:${batchOrg}`, 5],
      ]);
      await withAudit(ctx, (_tx, audit) => audit({ action: "test.after", organizationId: batchOrg }));
      expect(await verifyAuditChain(batchOrg)).toEqual({ ok: true, checked: 6 });
      expect(await verifyAuditChain(other)).toEqual({ ok: true, checked: 2 });
    } finally {
      await hotPath.close();
    }

    const chain = `org:${batchOrg}`;
    const raw = await rawDatabase();
    try {
      await raw.withoutAuditGuard(async () => {
        // Reordered: two events of the batch swap places (their seq), each row otherwise untouched.
        const swap = (a: number, b: number) =>
          raw.run(
            `UPDATE "AuditEvent" SET "seq" = CASE WHEN "seq" = ? THEN CAST(? AS INTEGER) ELSE CAST(? AS INTEGER) END
             WHERE "chain" = ? AND "seq" IN (?, ?)`,
            a,
            -1 - b,
            -1 - a,
            chain,
            a,
            b,
          );
        const settle = () =>
          raw.run(`UPDATE "AuditEvent" SET "seq" = -1 - "seq" WHERE "chain" = ? AND "seq" < 0`, chain);
        const setTarget = targetSetter(raw, chain);
        const brokenAt = async (checked: number, seq: number, reason: string) =>
          expect(await verifyAuditChain(batchOrg)).toMatchObject({
            ok: false,
            checked,
            brokenAt: { seq, reason },
          });

        expect(await swap(3, 4)).toBe(2);
        await settle();
        await brokenAt(2, 3, "prev_hash_mismatch");
        expect(await swap(3, 4)).toBe(2);
        await settle();
        expect(await verifyAuditChain(batchOrg)).toEqual({ ok: true, checked: 6 });

        // Changed: one event in the middle of the batch.
        expect(await setTarget(3, "c-x")).toBe(1);
        await brokenAt(2, 3, "hash_mismatch");

        // Removed: the batch's last event (with the change undone).
        expect(await raw.run(`DELETE FROM "AuditEvent" WHERE "chain" = ? AND "seq" = 5`, chain)).toBe(1);
        expect(await setTarget(3, "c-2")).toBe(1);
        await brokenAt(4, 6, "gap");
      });
    } finally {
      await raw.close();
    }
    expect(await verifyAuditChain(other)).toEqual({ ok: true, checked: 2 });
  });

  it("keeps client events on lanes of their own, each verified with the organization and tamper-evident", async () => {
    // What the hot path's group commits write: each batch on the lane it picked, the console on the org's chain.
    const { appendAuditEvents } = await import("./append");
    const { openSqlExecutor } = await import("@/lib/sql/open");
    const laneOrg = (await newOrg("lane-chains")).id;
    const hotPath = openSqlExecutor(process.env.DATABASE_URL!);
    const batch = (lane: number, ids: number[]) =>
      hotPath.transaction(() =>
        appendAuditEvents(
          ids.map((i) => ({
            ctx,
            entry: { action: "client.registered", organizationId: laneOrg, targetId: `c-${i}` },
          })),
          { lane },
        ),
      );
    try {
      await withAudit(ctx, (_tx, audit) => audit({ action: "test.console", organizationId: laneOrg }));
      const rows = [...(await batch(5, [1, 2])), ...(await batch(2, [3])), ...(await batch(5, [4]))];
      expect(rows.map((r) => [r.chain, r.seq])).toEqual([
        [`org:${laneOrg}:clients:5`, 1],
        [`org:${laneOrg}:clients:5`, 2],
        [`org:${laneOrg}:clients:2`, 1],
        [`org:${laneOrg}:clients:5`, 3],
      ]);
      await withAudit(ctx, (_tx, audit) => audit({ action: "test.console", organizationId: laneOrg }));
      expect(
        await db.auditEvent.findMany({ where: { chain: `org:${laneOrg}` }, select: { seq: true } }),
      ).toEqual([{ seq: 1 }, { seq: 2 }]);
      expect(await verifyAuditChain(laneOrg)).toEqual({ ok: true, checked: 6 });
    } finally {
      await hotPath.close();
    }

    const lane = `org:${laneOrg}:clients:5`;
    const raw = await rawDatabase();
    try {
      await raw.withoutAuditGuard(async () => {
        const broken = (seq: number, reason: string) =>
          expect(verifyAuditChain(laneOrg)).resolves.toMatchObject({
            ok: false,
            brokenAt: { chain: lane, lane: 5, seq, reason },
          });
        const setTarget = targetSetter(raw, lane);
        // Changed, then put back.
        expect(await setTarget(2, "c-x")).toBe(1);
        await broken(2, "hash_mismatch");
        expect(await setTarget(2, "c-2")).toBe(1);
        await expect(verifyAuditChain(laneOrg)).resolves.toEqual({ ok: true, checked: 6 });
        // Removed: the lane's second event.
        expect(await raw.run(`DELETE FROM "AuditEvent" WHERE "chain" = ? AND "seq" = 2`, lane)).toBe(1);
        await broken(3, "gap");
      });
    } finally {
      await raw.close();
    }
  });

  it("names the first event where someone with database access tampered with the chain", async () => {
    const victim = await db.auditEvent.findFirstOrThrow({ where: { chain: `org:${orgId}`, seq: 57 } });
    const raw = await rawDatabase();
    try {
      await raw.withoutAuditGuard(async () => {
        expect(await raw.run(`UPDATE "AuditEvent" SET "after" = '{"i":-1}' WHERE "id" = ?`, victim.id)).toBe(
          1,
        );
        expect(await verifyAuditChain(orgId)).toEqual({
          ok: false,
          checked: 56,
          brokenAt: {
            chain: `org:${orgId}`,
            lane: null,
            eventId: victim.id,
            seq: 57,
            reason: "hash_mismatch",
          },
        });

        // Recomputing the tampered event's own hash does not help: the next event's link no longer matches.
        const { hashEvent } = await import("./chain");
        const tampered = (await raw.get<{ id: string }>(
          `SELECT * FROM "AuditEvent" WHERE "id" = ?`,
          victim.id,
        ))!;
        const rehashed = hashEvent({
          ...(await db.auditEvent.findUniqueOrThrow({ where: { id: victim.id } })),
        });
        expect(
          await raw.run(`UPDATE "AuditEvent" SET "hash" = ? WHERE "id" = ?`, rehashed, tampered.id),
        ).toBe(1);
        const next = await db.auditEvent.findFirstOrThrow({ where: { chain: `org:${orgId}`, seq: 58 } });
        expect(await verifyAuditChain(orgId)).toMatchObject({
          ok: false,
          brokenAt: { eventId: next.id, reason: "prev_hash_mismatch" },
        });

        expect(
          await raw.run(`DELETE FROM "AuditEvent" WHERE "chain" = ? AND "seq" = 10`, `org:${orgId}`),
        ).toBe(1);
        expect(await verifyAuditChain(orgId)).toMatchObject({
          ok: false,
          checked: 9,
          brokenAt: { seq: 11, reason: "gap" },
        });
      });
      // The guard is back once the tampering is done.
      await expect(raw.run(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    } finally {
      await raw.close();
    }
  });
});
