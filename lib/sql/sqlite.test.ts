import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, inject, it } from "vitest";
import { takeThrottle } from "@/lib/dcr/store/queries";
import { freshTestDatabase } from "@/test/harness/database";
import { sqliteExecutor } from "./sqlite";

/** The rows of DcrThrottle in the database file alone: a copy without its write-ahead log. */
function rowsInFileAlone(file: string): number {
  const copy = path.join(mkdtempSync(path.join(tmpdir(), "sc-ckpt-")), "copy.db");
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM DcrThrottle").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Commits on the hot path's connection never run a checkpoint themselves (one would block the event loop on
 * the disk); a thread of the executor's own copies the log back into the database file within moments,
 * however little was written (SQLite's own threshold is 1,000 pages of log, far more than this test writes).
 */
it.skipIf(inject("testDb") === "postgres")(
  "checkpoints the write-ahead log on a thread of its own, soon after the commits",
  async () => {
    const file = freshTestDatabase();
    const sql = sqliteExecutor(file);
    try {
      const now = Date.now();
      for (let i = 0; i < 50; i++) await sql.get(takeThrottle, { key: `ckpt-${i}`, rate: 1, burst: 10, now });
      const deadline = Date.now() + 5_000;
      while (rowsInFileAlone(file) < 50 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(rowsInFileAlone(file)).toBe(50);
    } finally {
      await sql.close();
    }
  },
);
