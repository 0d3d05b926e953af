/**
 * Applies prisma/postgres/migrations to a PostgreSQL database without Prisma's schema engine (whose Wasm build
 * cannot introspect PostgreSQL here, so `prisma migrate deploy` is not an option). What it does is what
 * `migrate deploy` does, and it leaves the same record behind, so `migrate deploy` would find nothing to do:
 *
 * - one session holds `pg_advisory_lock` (Prisma's own key) for the whole run: instances starting together
 *   migrate one after the other, and the later ones find nothing pending;
 * - each pending migration runs in its own transaction, together with its `_prisma_migrations` row (id,
 *   checksum = SHA-256 hex of migration.sql, started/finished_at, applied_steps_count = 1): it is applied
 *   and recorded, or neither;
 * - a migration recorded as started but never finished (a failed `migrate deploy`) stops the run, as P3009 does;
 * - a migration whose data SQL cannot compute (DATA_STEPS) has its step run after its script, in its transaction.
 *
 * `tsx server/pg-migrate.ts [-- command args…]` migrates $DATABASE_URL, then runs the command while it still
 * holds the lock: server/prepare.ts seeds that way, so two instances starting on an empty database do not
 * both seed it.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { pgRows, recomputeStatementIdentities } from "./statement-identities";

export const PG_MIGRATIONS_DIR = path.join(import.meta.dirname, "..", "prisma", "postgres", "migrations");

/** The key Prisma's schema engine locks while it migrates, so this and `prisma migrate deploy` exclude each other. */
const PRISMA_MIGRATE_LOCK = 72707369;

/** Prisma's own DDL for its migrations table on PostgreSQL. */
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type Migration = { name: string; sql: string; checksum: string };

/** What a migration's data needs beyond its SQL, run right after it in its transaction (same client). */
export const DATA_STEPS: Record<string, (client: pg.ClientBase) => Promise<unknown>> = {
  "0010_statement_identity": (client) => recomputeStatementIdentities(pgRows(client)),
};

/** The migrations on disk, in name order (the order Prisma applies them in). */
export function readMigrations(dir = PG_MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, "migration.sql"));
      return {
        name,
        sql: bytes.toString("utf8"),
        checksum: createHash("sha256").update(bytes).digest("hex"),
      };
    });
}

type Row = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

/**
 * Applies every migration of `dir` that `connectionString`'s database has not finished yet. Returns the names
 * it applied. `log` receives one line per migration applied and per warning.
 */
export async function migratePostgres(
  connectionString: string,
  {
    dir = PG_MIGRATIONS_DIR,
    log = console.log,
    whileLocked,
  }: {
    dir?: string;
    log?: (line: string) => void;
    /** Runs after the migrations, still under the lock (`npm start` seeds an empty database there). */
    whileLocked?: () => void | Promise<void>;
  } = {},
): Promise<string[]> {
  const migrations = readMigrations(dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    try {
      // Concurrent CREATE TABLE IF NOT EXISTS can still collide on the catalog: the lock above prevents that.
      await client.query(MIGRATIONS_TABLE);
      const { rows } = await client.query<Row>(
        `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`,
      );
      const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
      if (failed)
        throw new Error(
          `Migration ${failed.migration_name} failed earlier and is not resolved: fix the database, then mark it ` +
            `(prisma migrate resolve) before starting again.`,
        );
      const done = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r]));
      for (const name of done.keys())
        if (!migrations.some((m) => m.name === name))
          log(`⚠ The database has migration ${name}, which is not in ${path.relative(process.cwd(), dir)}.`);

      const applied: string[] = [];
      for (const migration of migrations) {
        const recorded = done.get(migration.name);
        if (recorded) {
          if (recorded.checksum !== migration.checksum)
            log(`⚠ Migration ${migration.name} was changed after it was applied (checksum differs).`);
          continue;
        }
        await client.query("BEGIN");
        try {
          const id = randomUUID();
          await client.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
             VALUES ($1, $2, $3, clock_timestamp(), 0)`,
            [id, migration.checksum, migration.name],
          );
          // No parameters: the simple query protocol runs the whole multi-statement file.
          await client.query(migration.sql);
          await DATA_STEPS[migration.name]?.(client);
          await client.query(
            `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
            [id],
          );
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK").catch(() => {});
          throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`, {
            cause: error,
          });
        }
        log(`Applied migration ${migration.name}`);
        applied.push(migration.name);
      }
      await whileLocked?.();
      return applied;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    console.error("DATABASE_URL must be a postgresql:// URL.");
    process.exit(1);
  }
  const dashdash = process.argv.indexOf("--");
  const [command, ...args] = dashdash === -1 ? [] : process.argv.slice(dashdash + 1);
  const whileLocked = () => {
    if (!command) return;
    const result = spawnSync(command, args, { stdio: "inherit" });
    if (result.status !== 0)
      throw new Error(`${[command, ...args].join(" ")} failed (exit ${result.status ?? result.signal}).`);
  };
  migratePostgres(url, { whileLocked })
    .then((applied) => {
      if (applied.length === 0) console.log("PostgreSQL: no pending migrations.");
    })
    .catch((error) => {
      console.error((error as Error).message);
      process.exit(1);
    });
}
