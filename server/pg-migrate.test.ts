import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { adminQuery, databaseUrl, ident, postgresBin } from "@/test/harness/postgres";
import { migratePostgres, PG_MIGRATIONS_DIR, readMigrations } from "./pg-migrate";

/** On a live PostgreSQL: runs in the `TEST_DB=postgres` pass (scripts/test.sh runs both). */
const onPostgres = inject("testDb") === "postgres";

describe.skipIf(!onPostgres)("PostgreSQL migrations (server/pg-migrate.ts)", () => {
  const made: string[] = [];
  async function emptyDatabase(): Promise<string> {
    const name = `${inject("pgDbPrefix")}mig_${made.length}_${Date.now().toString(36)}`;
    await adminQuery(inject("pgAdminUrl"), `CREATE DATABASE ${ident(name)}`);
    made.push(name);
    return databaseUrl(inject("pgAdminUrl"), name);
  }
  async function query<T extends pg.QueryResultRow>(url: string, sql: string, values: unknown[] = []) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }
  afterAll(async () => {
    for (const name of made)
      await adminQuery(inject("pgAdminUrl"), `DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
  });

  it("add up to exactly prisma/postgres/schema.prisma (the migrations are not behind the schema)", async () => {
    const migrated = await emptyDatabase();
    await migratePostgres(migrated, { log: () => {} });

    const diff = spawnSync(
      "node_modules/.bin/prisma",
      [
        "migrate",
        "diff",
        "--config",
        "prisma/postgres/prisma.config.ts",
        "--from-empty",
        "--to-schema-datamodel",
        "prisma/postgres/schema.prisma",
        "--script",
      ],
      // The CLI's driver adapter wants a server to connect to, though it reads nothing from it.
      { env: { ...process.env, DATABASE_URL: inject("pgAdminUrl") }, encoding: "utf8" },
    );
    expect(diff.status, diff.stderr).toBe(0);
    const fromSchema = await emptyDatabase();
    const client = new pg.Client({ connectionString: fromSchema });
    await client.connect();
    await client.query(diff.stdout);
    await client.end();

    const a = schemaDump(migrated);
    expect(a.some((s) => s.startsWith('CREATE TABLE public."AuditEvent"'))).toBe(true);
    expect(a).toEqual(schemaDump(fromSchema));
  });

  it("records each migration in _prisma_migrations as `prisma migrate deploy` does, and applies it once", async () => {
    const url = await emptyDatabase();
    const all = readMigrations().map((m) => m.name);
    expect(await migratePostgres(url, { log: () => {} })).toEqual(all);
    const rows = await query<{
      id: string;
      checksum: string;
      migration_name: string;
      finished_at: Date | null;
      started_at: Date;
      logs: string | null;
      rolled_back_at: Date | null;
      applied_steps_count: number;
    }>(url, `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows.map((r) => r.migration_name)).toEqual(all);
    for (const row of rows) {
      const sql = readFileSync(path.join(PG_MIGRATIONS_DIR, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row).toMatchObject({ logs: null, rolled_back_at: null, applied_steps_count: 1 });
    }
    expect(await migratePostgres(url, { log: () => {} })).toEqual([]);
    expect(await query(url, `SELECT 1 FROM "_prisma_migrations"`)).toHaveLength(all.length);
  });

  it("lets one of several instances starting together migrate, under the advisory lock", async () => {
    const url = await emptyDatabase();
    const runs = await Promise.all([1, 2, 3, 4].map(() => migratePostgres(url, { log: () => {} })));
    expect(runs.flat().sort()).toEqual(readMigrations().map((m) => m.name));
    expect(await query(url, `SELECT 1 FROM "_prisma_migrations"`)).toHaveLength(readMigrations().length);
  });

  it("applies a migration and its record in one transaction: a failing one leaves nothing behind", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sc-migrations-"));
    const write = (name: string, sql: string) => {
      mkdirSync(path.join(dir, name));
      writeFileSync(path.join(dir, name, "migration.sql"), sql);
    };
    write("0001_one", `CREATE TABLE "One" (id INT PRIMARY KEY);`);
    write("0002_broken", `CREATE TABLE "Two" (id INT PRIMARY KEY);\nINSERT INTO "Nowhere" VALUES (1);`);
    const url = await emptyDatabase();
    await expect(migratePostgres(url, { dir, log: () => {} })).rejects.toThrow(
      /0002_broken failed: .*Nowhere/,
    );
    expect(await query(url, `SELECT migration_name FROM "_prisma_migrations"`)).toEqual([
      { migration_name: "0001_one" },
    ]);
    expect(await query(url, `SELECT to_regclass('"Two"') AS two`)).toEqual([{ two: null }]);
  });

  it("makes audit events append-only, as SQLite's triggers do", async () => {
    const url = await emptyDatabase();
    await migratePostgres(url, { log: () => {} });
    await query(
      url,
      `INSERT INTO "AuditEvent" (id, chain, seq, "createdAt", action, "prevHash", hash)
       VALUES ('e1', 'platform', 1, now(), 'test', 'x', 'y')`,
    );
    await expect(query(url, `UPDATE "AuditEvent" SET action = 'changed'`)).rejects.toThrow(/append-only/);
    await expect(query(url, `DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
    await expect(query(url, `TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(await query(url, `SELECT action FROM "AuditEvent"`)).toEqual([{ action: "test" }]);
  });
});

/**
 * `pg_dump --schema-only` of a database, without what only the migrations make (their bookkeeping table and
 * the append-only triggers), comments, and settings: one normalized statement per entry, sorted.
 */
function schemaDump(url: string): string[] {
  const bin = postgresBin();
  const dump = spawnSync(
    bin ? path.join(bin, "pg_dump") : "pg_dump",
    ["--schema-only", "--no-owner", "--no-privileges", "--exclude-table=_prisma_migrations", url],
    { encoding: "utf8" },
  );
  if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
  // pg_dump heads every object with "-- Name: …; Type: …; Schema: …": one block per object.
  return dump.stdout
    .split(/^-- Name: /m)
    .slice(1)
    .filter((block) => !/^[^\n]*; Type: (TRIGGER|FUNCTION);/.test(block))
    .map((block) =>
      block
        .split("\n")
        .slice(1)
        .filter((line) => !/^(--|\\|SET |SELECT pg_catalog\.set_config)/.test(line))
        .join(" ")
        .replace(/\s+/g, " ")
        .trim(),
    )
    .sort();
}
