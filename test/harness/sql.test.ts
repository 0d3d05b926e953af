import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshTestDatabase } from "@/test/harness/database";
import { numbered, openSql, type Sql } from "./sql";

/**
 * test/harness/server-sql.ts, the raw-SQL helper of the integration tests, checked the same way on each database it serves:
 * on this file's migrated test database (beside the app's own Prisma client, so both agree on what a stored
 * date or boolean is), and on a real PostgreSQL when TEST_PG_URL points at one.
 */
freshTestDatabase();
const { db } = await import("@/lib/db");
const PG_URL = process.env.TEST_PG_URL;

describe("numbered placeholders (PostgreSQL)", () => {
  it("turns each ? into $1…$n, except inside quotes and comments", () => {
    expect(numbered(`SELECT '?', 'it''s ?', "a?b", ? -- why?\n, ? FROM "T" WHERE "x" = ?`)).toBe(
      `SELECT '?', 'it''s ?', "a?b", $1 -- why?\n, $2 FROM "T" WHERE "x" = $3`,
    );
  });
});

/** The checks, given a database with the app's "User" and "AuditEvent" tables and AuditEvent's append-only guard. */
function checks(open: () => Promise<Sql>) {
  let sql: Sql;
  beforeAll(async () => {
    sql = await open();
  });
  afterAll(() => sql?.close());

  const when = new Date("2026-01-02T03:04:05.678Z");
  const userId = randomUUID();
  const insertEvent = (seq: number) =>
    sql.run(
      `INSERT INTO "AuditEvent" ("id", "chain", "seq", "createdAt", "actingFor", "action", "after", "prevHash", "hash")
       VALUES (?, 'test', ?, ?, ?, 'test.done', ?, 'p', 'h')`,
      `event-${seq}`,
      seq,
      when,
      seq % 2 === 1,
      `{"seq":${seq}}`,
    );

  it("inserts with ? placeholders, says how many rows changed, and leaves a quoted ? alone", async () => {
    expect(
      await sql.run(
        `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "updatedAt")
         VALUES (?, ?, 'Who?', 'x', 'USER', ?)`,
        userId,
        `${userId}@test`,
        when,
      ),
    ).toBe(1);
    expect(
      await sql.get(`SELECT "name", '?' AS q, "role", "updatedAt" FROM "User" WHERE "id" = ?`, userId),
    ).toEqual({ name: "Who?", q: "?", role: "USER", updatedAt: when });
    expect(await sql.run(`UPDATE "User" SET "name" = ? WHERE "id" = ?`, "nobody", "no-such-id")).toBe(0);
  });

  it("takes booleans as parameters and gives them back as booleans", async () => {
    expect(await sql.get(`SELECT "disabled" FROM "User" WHERE "id" = ?`, userId)).toEqual({
      disabled: false,
    });
    expect(await sql.run(`UPDATE "User" SET "disabled" = ? WHERE "id" = ?`, true, userId)).toBe(1);
    expect(await sql.all(`SELECT "id" FROM "User" WHERE "disabled" = ?`, true)).toEqual([{ id: userId }]);
    expect(await sql.get(`SELECT "disabled" FROM "User" WHERE "id" = ?`, userId)).toEqual({ disabled: true });
  });

  it("reads the database's own CURRENT_TIMESTAMP default as a Date in UTC", async () => {
    const { createdAt } = (await sql.get<{ createdAt: Date }>(
      `SELECT "createdAt" FROM "User" WHERE "id" = ?`,
      userId,
    ))!;
    expect(createdAt).toBeInstanceOf(Date);
    expect(Math.abs(createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("counts as numbers, finds nothing as undefined or [], and keeps columns' case", async () => {
    expect(await sql.get(`SELECT COUNT(*) AS n FROM "User" WHERE "id" = ?`, userId)).toEqual({ n: 1 });
    expect(await sql.get(`SELECT "id" FROM "User" WHERE "id" = ?`, "no-such-id")).toBeUndefined();
    expect(await sql.all(`SELECT "id" FROM "User" WHERE "id" = ?`, "no-such-id")).toEqual([]);
    expect(await sql.get(`SELECT "passwordHash" FROM "User" WHERE "id" = ?`, userId)).toEqual({
      passwordHash: "x",
    });
  });

  it("keeps the append-only guard, and lets a test past it only for as long as it asks", async () => {
    for (const seq of [1, 2, 3]) expect(await insertEvent(seq)).toBe(1);
    expect(await sql.all(`SELECT "seq", "actingFor", "createdAt" FROM "AuditEvent" ORDER BY "seq"`)).toEqual([
      { seq: 1, actingFor: true, createdAt: when },
      { seq: 2, actingFor: false, createdAt: when },
      { seq: 3, actingFor: true, createdAt: when },
    ]);
    await expect(sql.run(`UPDATE "AuditEvent" SET "after" = '{}'`)).rejects.toThrow(/append-only/);
    await expect(sql.run(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);

    const changed = await sql.withoutAuditGuard(async () => [
      await sql.run(`UPDATE "AuditEvent" SET "after" = ? WHERE "seq" = ?`, '{"tampered":true}', 2),
      await sql.run(`DELETE FROM "AuditEvent" WHERE "seq" = ?`, 3),
    ]);
    expect(changed).toEqual([1, 1]);
    expect(await sql.all(`SELECT "seq", "after" FROM "AuditEvent" ORDER BY "seq"`)).toEqual([
      { seq: 1, after: '{"seq":1}' },
      { seq: 2, after: '{"tampered":true}' },
    ]);
    await expect(sql.run(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);

    // Even when the tampering fails.
    await expect(
      sql.withoutAuditGuard(() => sql.run(`UPDATE "AuditEvent" SET "nope" = 1`)),
    ).rejects.toThrow();
    await expect(sql.run(`UPDATE "AuditEvent" SET "after" = '{}'`)).rejects.toThrow(/append-only/);
  });
}

describe("test/harness/server-sql.ts on this file's test database, beside the app's Prisma client", () => {
  checks(() => openSql(process.env.DATABASE_URL!));

  it("stores dates and booleans exactly as the app's client does, both ways", async () => {
    const sql = await openSql(process.env.DATABASE_URL!);
    try {
      const viaPrisma = await db.user.create({
        data: { email: `${randomUUID()}@test`, name: "P", passwordHash: "x", disabled: true },
      });
      expect(
        await sql.get(`SELECT "disabled", "createdAt", "updatedAt" FROM "User" WHERE "id" = ?`, viaPrisma.id),
      ).toEqual({ disabled: true, createdAt: viaPrisma.createdAt, updatedAt: viaPrisma.updatedAt });

      const id = randomUUID();
      const when = new Date("2026-05-06T07:08:09.012Z");
      await sql.run(
        `INSERT INTO "User" ("id", "email", "name", "passwordHash", "disabled", "updatedAt")
         VALUES (?, ?, 'S', 'x', ?, ?)`,
        id,
        `${id}@test`,
        true,
        when,
      );
      expect(await db.user.findUniqueOrThrow({ where: { id } })).toMatchObject({
        disabled: true,
        updatedAt: when,
      });
      // The app's own date filters see it too (a stored format it does not write would not compare).
      expect(await db.user.count({ where: { id, updatedAt: { gte: when, lte: when } } })).toBe(1);
    } finally {
      await sql.close();
    }
  });
});

describe.skipIf(!PG_URL)(
  "test/harness/server-sql.ts on PostgreSQL (runs only when TEST_PG_URL is set, skipped otherwise)",
  () => {
    // A schema of its own, named through Prisma's ?schema= parameter, with the tables as Prisma creates them.
    const schema = `sql_test_${randomUUID().replaceAll("-", "")}`;
    let admin: Sql;
    beforeAll(async () => {
      admin = await openSql(PG_URL!);
      for (const statement of [
        `CREATE SCHEMA "${schema}"`,
        `SET search_path TO "${schema}"`,
        `CREATE TYPE "GlobalRole" AS ENUM ('USER', 'REP')`,
        `CREATE TABLE "User" ("id" TEXT NOT NULL, "email" TEXT NOT NULL, "name" TEXT NOT NULL,
        "passwordHash" TEXT NOT NULL, "role" "GlobalRole" NOT NULL DEFAULT 'USER',
        "disabled" BOOLEAN NOT NULL DEFAULT false, "sessionVersion" INTEGER NOT NULL DEFAULT 0,
        "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL,
        CONSTRAINT "User_pkey" PRIMARY KEY ("id"))`,
        `CREATE TABLE "AuditEvent" ("id" TEXT NOT NULL, "chain" TEXT NOT NULL, "seq" INTEGER NOT NULL,
        "createdAt" TIMESTAMP(3) NOT NULL, "organizationId" TEXT, "actorUserId" TEXT, "actorEmail" TEXT,
        "actorRole" TEXT, "actingFor" BOOLEAN NOT NULL DEFAULT false, "action" TEXT NOT NULL, "targetType" TEXT,
        "targetId" TEXT, "before" TEXT, "after" TEXT, "requestId" TEXT, "ip" TEXT, "userAgent" TEXT,
        "prevHash" TEXT NOT NULL, "hash" TEXT NOT NULL, CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id"))`,
        `CREATE FUNCTION "AuditEvent_append_only"() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$`,
        `CREATE TRIGGER "AuditEvent_no_update" BEFORE UPDATE ON "AuditEvent"
        FOR EACH ROW EXECUTE FUNCTION "AuditEvent_append_only"()`,
        `CREATE TRIGGER "AuditEvent_no_delete" BEFORE DELETE ON "AuditEvent"
        FOR EACH ROW EXECUTE FUNCTION "AuditEvent_append_only"()`,
      ])
        await admin.run(statement);
    });
    afterAll(async () => {
      await admin?.run(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin?.close();
    });

    const url = () => {
      const u = new URL(PG_URL!);
      u.searchParams.set("schema", schema);
      return u.toString();
    };
    it("is PostgreSQL", async () => {
      const sql = await openSql(url());
      try {
        expect(sql.dialect).toBe("postgresql");
        expect(await sql.get(`SELECT current_schema() AS s`)).toEqual({ s: schema });
      } finally {
        await sql.close();
      }
    });
    checks(() => openSql(url()));
  },
);
