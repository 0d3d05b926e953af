import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, expect, inject, it } from "vitest";
import { adminQuery, databaseUrl, ident } from "@/test/harness/postgres";
import { openSql } from "@/test/harness/server-sql";

/**
 * Migrations that change data, applied to a database as the migrations before them left it, with the rows an
 * earlier version could have stored. On the pass's own database kind.
 */
const onPostgres = inject("testDb") === "postgres";
const DIR = onPostgres ? "prisma/postgres/migrations" : "prisma/migrations";
const made: string[] = [];
afterAll(async () => {
  for (const name of made)
    await adminQuery(inject("pgAdminUrl"), `DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`);
});

/** A new database, and a way to run a migration's SQL script on it. */
async function emptyDatabase(): Promise<{ url: string; script: (sql: string) => Promise<void> }> {
  if (!onPostgres) {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "sc-mig-")), "app.db");
    const sqlite = new Database(file);
    return { url: `file:${file}`, script: async (sql) => void sqlite.exec(sql) };
  }
  const name = `${inject("pgDbPrefix")}owner_${Date.now().toString(36)}`;
  await adminQuery(inject("pgAdminUrl"), `CREATE DATABASE ${ident(name)}`);
  made.push(name);
  const url = databaseUrl(inject("pgAdminUrl"), name);
  return {
    url,
    script: async (sql) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    },
  };
}

/** A new database migrated up to (not including) `migration`, and a way to apply that one. */
async function migratedUpTo(migration: string) {
  const { url, script } = await emptyDatabase();
  const migrations = readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  for (const name of migrations.filter((m) => m < migration))
    await script(readFileSync(path.join(DIR, name, "migration.sql"), "utf8"));
  return {
    sql: await openSql(url),
    apply: () => script(readFileSync(path.join(DIR, migration, "migration.sql"), "utf8")),
  };
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

// A statement's fingerprint became unique: where earlier versions let two organizations hold the same statement,
// the first holder keeps it, later copies are marked (their clients keep working, no new registration reaches them).
it("keeps the first holder of a duplicated statement and marks the later copies", async () => {
  const { sql, apply } = await migratedUpTo(
    onPostgres ? "0003_statement_single_owner" : "0006_statement_single_owner",
  );
  try {
    for (const org of ["first", "second", "third"]) {
      await sql.run(
        `INSERT INTO "Organization" ("id", "slug", "name", "updatedAt") VALUES (?, ?, ?, ?)`,
        org,
        org,
        org,
        at(0),
      );
      await sql.run(
        `INSERT INTO "Application" ("id", "organizationId", "name", "version", "platforms", "domains", "scopes", "updatedAt")
         VALUES (?, ?, 'App', '1', '[]', '[]', '[]', ?)`,
        `app-${org}`,
        org,
        at(0),
      );
    }
    const statement = (id: string, org: string, fingerprint: string, minute: number) =>
      sql.run(
        `INSERT INTO "SoftwareStatement" ("id", "organizationId", "applicationId", "jwt", "header", "claims",
           "fingerprint", "issuer", "algorithm", "origin", "createdAt")
         VALUES (?, ?, ?, 'jwt', '{}', '{}', ?, 'https://issuer.test', 'RS256', 'UPLOADED', ?)`,
        id,
        org,
        `app-${org}`,
        fingerprint,
        at(minute),
      );
    // "second" uploaded first; "first" and "third" later copies. Another statement is held once.
    await statement("s-second", "second", "f-shared", 1);
    await statement("s-first", "first", "f-shared", 2);
    await statement("s-third", "third", "f-shared", 3);
    await statement("s-alone", "first", "f-alone", 4);

    await apply();

    const rows = await sql.all<{ id: string; fingerprint: string }>(
      `SELECT "id", "fingerprint" FROM "SoftwareStatement" ORDER BY "id"`,
    );
    expect(rows).toEqual([
      { id: "s-alone", fingerprint: "f-alone" },
      { id: "s-first", fingerprint: "f-shared:duplicate:s-first" },
      { id: "s-second", fingerprint: "f-shared" },
      { id: "s-third", fingerprint: "f-shared:duplicate:s-third" },
    ]);
    await expect(statement("s-again", "third", "f-shared", 5)).rejects.toThrow(/unique/i);
  } finally {
    await sql.close();
  }
});

// Statements got jti and expiresAt columns (Find looks statements up by jti; the statement URL skips expired
// ones): those stored before have them filled in from their claims, when of the right type.
it("fills in the jti and expiry of the statements stored before it", async () => {
  const { sql, apply } = await migratedUpTo(onPostgres ? "0007_refusals" : "0010_refusals");
  try {
    await sql.run(
      `INSERT INTO "Organization" ("id", "slug", "name", "updatedAt") VALUES ('o', 'o', 'O', ?)`,
      at(0),
    );
    await sql.run(
      `INSERT INTO "Application" ("id", "organizationId", "name", "version", "platforms", "domains", "scopes", "updatedAt")
       VALUES ('a', 'o', 'App', '1', '[]', '[]', '[]', ?)`,
      at(0),
    );
    const claims = {
      "s-jti": '{"jti":"j-1","sub":"x","exp":1798761600}',
      "s-number": '{"jti":7,"exp":"soon"}',
      "s-none": "{}",
    };
    for (const [id, json] of Object.entries(claims))
      await sql.run(
        `INSERT INTO "SoftwareStatement" ("id", "organizationId", "applicationId", "jwt", "header", "claims",
           "fingerprint", "issuer", "algorithm", "origin", "createdAt")
         VALUES (?, 'o', 'a', 'jwt', '{}', ?, ?, 'https://issuer.test', 'RS256', 'UPLOADED', ?)`,
        id,
        json,
        `f-${id}`,
        at(1),
      );
    await apply();
    expect(await sql.all(`SELECT "id", "jti" FROM "SoftwareStatement" ORDER BY "id"`)).toEqual([
      { id: "s-jti", jti: "j-1" },
      { id: "s-none", jti: null },
      { id: "s-number", jti: null },
    ]);
    // Compared as the app compares it: the stored expiry lies between the second before exp and exp itself.
    const expiring = await sql.all<{ id: string }>(
      `SELECT "id" FROM "SoftwareStatement" WHERE "expiresAt" > ? AND "expiresAt" <= ? ORDER BY "id"`,
      new Date(1798761599000),
      new Date(1798761600000),
    );
    expect(expiring).toEqual([{ id: "s-jti" }]);
  } finally {
    await sql.close();
  }
});
