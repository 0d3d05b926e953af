/**
 * The data half of migration 0013_statement_identity (SQLite) / 0010_statement_identity (PostgreSQL).
 *
 * A statement's fingerprint was the SHA-256 of its text; it is now its identity (lib/statements/identity.ts):
 * a base64url decode and a SHA-256 that SQLite's SQL cannot compute, and that must be the app's own function
 * rather than a second copy of the rule in SQL. So the SQL migration marks every stored fingerprint as a text
 * hash (`text-sha256:` + hash: nothing presented can match it), and this recomputes each from the stored JWT:
 *
 * - PostgreSQL: server/pg-migrate.ts runs it in the migration's own transaction (applied together, or neither);
 * - SQLite: `prisma migrate deploy` runs SQL only, so server/prepare.ts (npm start, npm run dev) and
 *   `npm run db:migrate` run this right after it, before anything serves. It does nothing once no row is marked
 *   (and `npm start` does not even start it then: `sqliteIdentitiesPending` is asked first).
 *
 * Where two stored statements are one (a byte-different copy another organization uploaded, which the text
 * hash let through), the first stored keeps the identity and the later copies are marked as 0006 marked them:
 * their clients keep working, no new registration reaches them, support can move or revoke them. A stored JWT
 * that has no identity (never accepted by verification) keeps its old fingerprint.
 */
import path from "node:path";
import Database from "better-sqlite3";
import type pg from "pg";
import { canonicalJwt, readableIdentity } from "../lib/statements/identity";

export const LEGACY_PREFIX = "text-sha256:";
const DUPLICATE = ":duplicate:";

/** The least this needs of a database: `?` placeholders, every identifier double-quoted. */
export type Rows = {
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
};

export const sqliteRows = (db: Database.Database): Rows => ({
  all: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as T[],
  run: async (sql, params = []) => void db.prepare(sql).run(...params),
});

export const pgRows = (client: pg.ClientBase): Rows => {
  const numbered = (sql: string) => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    all: async <T>(sql: string, params: unknown[] = []) =>
      (await client.query(numbered(sql), params)).rows as T[],
    run: async (sql, params = []) => void (await client.query(numbered(sql), params)),
  };
};

type Legacy = { id: string; jwt: string; fingerprint: string };

/** Recomputes every marked fingerprint; returns how many. Run it inside a transaction. */
export async function recomputeStatementIdentities(db: Rows): Promise<number> {
  // substr, not LIKE (case-insensitive on SQLite) nor a range (collation-dependent on PostgreSQL). Oldest
  // first: the first holder keeps the identity.
  const rows = await db.all<Legacy>(
    `SELECT "id", "jwt", "fingerprint" FROM "SoftwareStatement"
     WHERE substr("fingerprint", 1, ?) = ? ORDER BY "createdAt", "id"`,
    [LEGACY_PREFIX.length, LEGACY_PREFIX],
  );
  for (const row of rows) {
    const old = row.fingerprint.slice(LEGACY_PREFIX.length);
    // Earlier versions could store a copy with unused bits set: it is the statement it copies.
    const identity = readableIdentity(canonicalJwt(row.jwt));
    let fingerprint = identity ?? old;
    if (identity) {
      const [taken] = await db.all(`SELECT 1 FROM "SoftwareStatement" WHERE "fingerprint" = ?`, [identity]);
      if (taken || old.includes(DUPLICATE)) fingerprint = `${identity}${DUPLICATE}${row.id}`;
    }
    await db.run(`UPDATE "SoftwareStatement" SET "fingerprint" = ? WHERE "id" = ?`, [fingerprint, row.id]);
  }
  return rows.length;
}

/** Whether any stored fingerprint is still marked (read only: `npm start` asks before it writes anything). */
export function sqliteIdentitiesPending(db: Database.Database): boolean {
  const marked = db
    .prepare(`SELECT 1 FROM "SoftwareStatement" WHERE substr("fingerprint", 1, ?) = ? LIMIT 1`)
    .get(LEGACY_PREFIX.length, LEGACY_PREFIX);
  return marked !== undefined;
}

/** SQLite's half: the database at `file`, in one write transaction. */
export async function recomputeSqliteIdentities(file: string): Promise<number> {
  const db = new Database(file);
  try {
    db.pragma("busy_timeout = 10000");
    db.exec("BEGIN IMMEDIATE");
    try {
      const count = await recomputeStatementIdentities(sqliteRows(db));
      db.exec("COMMIT");
      return count;
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  } finally {
    db.close();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const url = process.env.DATABASE_URL ?? "";
  if (!url.startsWith("file:")) {
    console.error("DATABASE_URL must be a file: URL (PostgreSQL runs this within server/pg-migrate.ts).");
    process.exit(1);
  }
  recomputeSqliteIdentities(path.resolve(url.slice("file:".length).split("?")[0]!))
    .then((count) => count && console.log(`Recomputed the identity of ${count} statement(s).`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
