import { describe, expect, it, vi } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";

/**
 * Two app instances writing one chain at once: two separate Prisma clients (two connection pools, as two
 * processes would have), each running many withAudit calls concurrently. On PostgreSQL each append first takes
 * the chain's advisory transaction lock, so nobody reads a stale head; on SQLite one writer at a time and the
 * (chain, seq) retry do the same. Either way the chain must come out contiguous and verifiable.
 */
freshTestDatabase();

async function instance() {
  vi.resetModules();
  delete (globalThis as { prisma?: unknown }).prisma;
  const { db } = await import("@/lib/db");
  const audit = await import("@/lib/audit");
  return { db, ...audit };
}

const one = await instance();
const two = await instance();

const ctx = {
  actor: { userId: null, email: "load@test", role: "ADMIN", actingFor: false },
  request: { requestId: null, ip: "127.0.0.1", userAgent: "vitest" },
};

describe("audit chains under concurrent writers on two instances", () => {
  it("stay contiguous and verify", { timeout: 120_000 }, async () => {
    expect(one.db).not.toBe(two.db);
    const org = await one.db.organization.create({ data: { slug: "concurrency", name: "Concurrency" } });
    const PER_INSTANCE = 40;
    const write = (inst: typeof one, n: number) =>
      inst.withAudit(ctx, async (_tx, audit) => {
        await audit({
          action: "organization.renamed",
          organizationId: org.id,
          targetType: "organization",
          targetId: org.id,
          after: { n },
        });
      });
    await Promise.all(
      Array.from({ length: PER_INSTANCE }, (_, i) => [write(one, i), write(two, PER_INSTANCE + i)]).flat(),
    );

    const events = await one.db.auditEvent.findMany({
      where: { chain: `org:${org.id}` },
      orderBy: { seq: "asc" },
      select: { seq: true },
    });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 2 * PER_INSTANCE }, (_, i) => i + 1));
    expect(await one.verifyAuditChain(org.id)).toEqual({ ok: true, checked: 2 * PER_INSTANCE });
    expect(await two.verifyAuditChain(org.id)).toMatchObject({ ok: true });
    await Promise.all([one.db.$disconnect(), two.db.$disconnect()]);
  });
});
