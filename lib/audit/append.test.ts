import { describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import { openSql } from "@/test/harness/sql";

// Two databases from the one template: the dashboard's Prisma client on the first, the hot path's own
// connection on the second.
const prismaDbUrl = (freshTestDatabase(), process.env.DATABASE_URL!);
const { db } = await import("@/lib/db");
const { onPrismaTransaction } = await import("./record");
const { appendAuditEvent } = await import("./append");
const { verifyAuditChain } = await import("./verify");
const { openSqlExecutor } = await import("@/lib/sql/open");
const hotPathDbUrl = (freshTestDatabase(), process.env.DATABASE_URL!);
process.env.DATABASE_URL = prismaDbUrl;

const ctx = (userAgent: string | null, actingFor = false) => ({
  actor: { userId: "user-1", email: "rep@example.test", role: "REPRESENTATIVE", actingFor },
  request: { requestId: "req-1", ip: "::ffff:192.0.2.7", userAgent },
});

// The same events, stamped alike, with what devices and people really send: text no database can hold as
// such, nested snapshots (with a secret to redact), a platform-wide event beside an organization's.
const events = [
  {
    ctx: ctx("Roku/DVP-12.5 \ud800 \0 end"),
    entry: {
      action: "client.registered",
      organizationId: "org-a",
      targetType: "client",
      targetId: "c-1",
      after: { platform: "Roku", simulated: false },
    },
  },
  {
    ctx: ctx(null, true),
    entry: {
      action: "statement.revoked",
      organizationId: "org-a",
      targetType: "statement",
      targetId: "s-1",
      before: { status: "ACTIVE", nested: { client_secret: "hidden", n: 1 } },
      after: { status: "REVOKED", reason: "leaked ✓" },
    },
  },
  { ctx: ctx("curl/8"), entry: { action: "organization.created", organizationId: null } },
  {
    ctx: ctx("x".repeat(600)),
    entry: { action: "token.rejected", organizationId: "org-a", after: { reason: "wrong_secret" } },
  },
].map((event, i) => ({
  ...event,
  stamp: { id: `event-${i}`, createdAt: new Date(Date.UTC(2026, 11, 6, 3, 0, i, 123)) },
}));

/** Every stored byte of every audit row, in chain order, as the database itself renders it. */
async function storedRows(url: string) {
  const sql = await openSql(url);
  try {
    return sql.dialect === "sqlite"
      ? await sql.all(
          `SELECT *, typeof("createdAt") AS t, typeof("actingFor") AS b FROM "AuditEvent" ORDER BY chain, seq`,
        )
      : await sql.all(`SELECT row_to_json(e)::text AS row FROM "AuditEvent" e ORDER BY chain, seq`);
  } finally {
    await sql.close();
  }
}

describe("the one audit appender", () => {
  it("writes byte-identical rows from Prisma's transaction and from the hot path's connection", async () => {
    for (const { ctx, entry, stamp } of events) {
      await db.$transaction((tx) => onPrismaTransaction(tx, appendAuditEvent(ctx, entry, stamp)));
    }
    const hotPath = openSqlExecutor(hotPathDbUrl);
    try {
      for (const { ctx, entry, stamp } of events) {
        await hotPath.transaction(() => appendAuditEvent(ctx, entry, stamp));
      }
    } finally {
      await hotPath.close();
    }

    const fromPrisma = await storedRows(prismaDbUrl);
    expect(fromPrisma).toHaveLength(events.length);
    expect(await storedRows(hotPathDbUrl)).toEqual(fromPrisma);
  });

  it("links each event to the one before and stores what it hashed (the chains verify)", async () => {
    expect(await verifyAuditChain("org-a")).toEqual({ ok: true, checked: 3 });
    expect(await verifyAuditChain(null)).toEqual({ ok: true, checked: 1 });
    const stored = await db.auditEvent.findMany({ where: { chain: "org:org-a" }, orderBy: { seq: "asc" } });
    expect(stored.map((e) => [e.seq, e.action])).toEqual([
      [1, "client.registered"],
      [2, "statement.revoked"],
      [3, "token.rejected"],
    ]);
    expect(stored[0]!.userAgent).toBe("Roku/DVP-12.5 \ufffd \ufffd end");
    expect(stored[0]!.createdAt).toEqual(events[0]!.stamp.createdAt);
    expect(stored[1]!.before).not.toContain("hidden");
    expect(stored[2]!.userAgent).toHaveLength(512);
  });
});
