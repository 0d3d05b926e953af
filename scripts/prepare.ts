import { spawnSync } from "node:child_process";
import { env } from "../lib/env";

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

/** Applies pending migrations, then seeds the demo data if the database is empty. */
export function prepareDatabase(): void {
  run("node_modules/.bin/prisma", ["migrate", "deploy"]);
  // The seed uses the server-side services, which refuse to load outside the react-server condition.
  run(process.execPath, ["--conditions=react-server", "--import", "tsx", "prisma/seed.ts", "--if-empty"]);
}
