import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { databaseProvider, env } from "../lib/env";
import { sqliteIdentitiesPending } from "./statement-identities";

/**
 * Runs a command with the resolved configuration in its environment; exits when it fails. `drop` removes a
 * known, expected passage from its output (the command's output is then shown once it has finished).
 */
export function run(command: string, args: string[], drop?: RegExp): void {
  const result = spawnSync(command, args, {
    stdio: drop ? ["inherit", "pipe", "pipe"] : "inherit",
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: env.DATABASE_URL, AUTH_SECRET: env.AUTH_SECRET },
  });
  if (drop) {
    process.stdout.write((result.stdout ?? "").replace(drop, ""));
    process.stderr.write((result.stderr ?? "").replace(drop, ""));
  }
  if (result.status !== 0) {
    console.error(`\n✖ ${[command, ...args].join(" ")} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

/**
 * Whether the SQLite database lacks a committed migration. Asked first so that an instance starting beside a
 * running one (same database) only reads: the migration engine wants the database to itself.
 */
function sqliteMigrationsPending(file: string): boolean {
  if (!existsSync(file)) return true;
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const applied = new Set(
      (
        sqlite
          .prepare(
            `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          )
          .all() as { migration_name: string }[]
      ).map((row) => row.migration_name),
    );
    return readdirSync("prisma/migrations", { withFileTypes: true }).some(
      (d) => d.isDirectory() && !applied.has(d.name),
    );
  } catch {
    return true; // no _prisma_migrations table yet
  } finally {
    sqlite.close();
  }
}

/** The SQLite database's file (DATABASE_URL is `file:<path>`, perhaps with `?options`). */
const sqliteFile = () => path.resolve(env.DATABASE_URL.slice("file:".length).split("?")[0]!);

/**
 * The SQLite database holds password and client-secret hashes and the audit trail: like auth-secret, it is
 * for this service's user only. SQLite creates its -wal and -shm files whenever it opens the database, in
 * whichever process does, so a umask set here, before anything opens it (migrate, seed, the server and its
 * workers inherit it), keeps every one of them 0600; files from before this rule are tightened in place.
 */
function keepDatabaseFilesPrivate(): void {
  process.umask(0o077);
  if (databaseProvider(env.DATABASE_URL) !== "sqlite") return;
  const file = sqliteFile();
  for (const suffix of ["", "-wal", "-shm", "-journal"])
    if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
}

/**
 * Prisma 6.19's `migrate deploy` warns that the schema's datasource `url` is unused when prisma.config.ts gives
 * a driver adapter. The url cannot go: without it the 6.19 CLI (generate, validate, even --version) insists on
 * downloading a query engine the adapters do not use. So the warning is expected, and not shown at start.
 */
const PRISMA_URL_WARNING =
  /WARNING: Your schema specifies the following datasource properties but you are using a Driver Adapter[\s\S]*?only using driver adapters\.\n?/;

/**
 * Applies pending migrations, then seeds the demo data if the database is empty. SQLite migrates with
 * `prisma migrate deploy`; PostgreSQL with server/pg-migrate.ts (Prisma's engine cannot migrate PostgreSQL
 * here), which takes an advisory lock so that instances starting together migrate once.
 */
export function prepareDatabase(): void {
  keepDatabaseFilesPrivate();
  // The seed uses the server-side services, which refuse to load outside the react-server condition.
  const seed = [
    process.execPath,
    "--conditions=react-server",
    "--import",
    "tsx",
    "prisma/seed.ts",
    "--if-empty",
  ];
  if (databaseProvider(env.DATABASE_URL) === "postgresql") {
    // Migrated and seeded under one advisory lock: the second of two instances finds both done.
    run(process.execPath, ["--import", "tsx", "server/pg-migrate.ts", "--", ...seed]);
    return;
  }
  if (sqliteMigrationsPending(sqliteFile()))
    run("node_modules/.bin/prisma", ["migrate", "deploy"], PRISMA_URL_WARNING);
  // The data SQL cannot compute, and the seed, each in a process of its own (~0.7 s and ~2 s to load): asked
  // first, read only, so that a start on a database that needs neither (every start but the first) waits
  // for neither. Asked every start, since `prisma migrate deploy` may have been run by hand.
  const { identities, empty } = sqliteChores(sqliteFile());
  if (identities) run(process.execPath, ["--import", "tsx", "server/statement-identities.ts"]);
  if (empty) run(seed[0]!, seed.slice(1));
}

/** What is left to do to a migrated SQLite database: fingerprints to recompute, the demo data to seed. */
function sqliteChores(file: string): { identities: boolean; empty: boolean } {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const organization = sqlite.prepare(`SELECT 1 FROM "Organization" LIMIT 1`).get();
    return { identities: sqliteIdentitiesPending(sqlite), empty: organization === undefined };
  } finally {
    sqlite.close();
  }
}
