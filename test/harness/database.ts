import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { adminQuerySync, databaseUrl, ident } from "./postgres";

/**
 * Points this test file's lib/db at a fresh copy of the migrated template database. Call it before importing
 * anything that reaches lib/db (import those dynamically after it). Returns the SQLite file, or on PostgreSQL
 * (`TEST_DB=postgres`) the new database's URL; either way DATABASE_URL now names it.
 */
export function freshTestDatabase(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sc-db-"));
  process.env.DATA_DIR = dir;
  if (inject("testDb") === "postgres") {
    const name = `${inject("pgDbPrefix")}${randomBytes(6).toString("hex")}`;
    // A clone of the template is a file copy inside PostgreSQL: much faster than migrating again.
    adminQuerySync(
      inject("pgAdminUrl"),
      `CREATE DATABASE ${ident(name)} TEMPLATE ${ident(inject("pgTemplateDb"))}`,
    );
    process.env.DATABASE_URL = databaseUrl(inject("pgAdminUrl"), name);
    return process.env.DATABASE_URL;
  }
  const file = path.join(dir, "test.db");
  copyFileSync(inject("templateDb"), file);
  process.env.DATABASE_URL = `file:${file}`;
  return file;
}
