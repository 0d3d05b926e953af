import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject } from "vitest";

/**
 * Points this test file's lib/db at a fresh copy of the migrated template database. Call it before importing
 * anything that reaches lib/db (import those dynamically after it).
 */
export function freshTestDatabase(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "sc-db-")), "test.db");
  copyFileSync(inject("templateDb"), file);
  process.env.DATABASE_URL = `file:${file}`;
  process.env.DATA_DIR = path.dirname(file);
  return file;
}
