import { spawnSync } from "node:child_process";
import { databaseProvider, env } from "../lib/env";

/** Runs a command with the resolved configuration in its environment; exits when it fails. */
export function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, {
    stdio: "inherit",
    env: { ...process.env, DATABASE_URL: env.DATABASE_URL, AUTH_SECRET: env.AUTH_SECRET },
  });
  if (result.status !== 0) {
    console.error(`\n✖ ${[command, ...args].join(" ")} failed (exit ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

/**
 * Applies pending migrations, then seeds the demo data if the database is empty. SQLite migrates with
 * `prisma migrate deploy`; PostgreSQL with scripts/pg-migrate.ts (Prisma's engine cannot migrate PostgreSQL
 * here), which takes an advisory lock so that instances starting together migrate once.
 */
export function prepareDatabase(): void {
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
    run(process.execPath, ["--import", "tsx", "scripts/pg-migrate.ts", "--", ...seed]);
    return;
  }
  run("node_modules/.bin/prisma", ["migrate", "deploy"]);
  run(seed[0]!, seed.slice(1));
}
