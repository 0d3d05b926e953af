import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migratePostgres } from "../../server/pg-migrate";
import { adminQuery, databaseUrl, ident, startCluster, type Cluster } from "./postgres";
import { freePort, healthy, START_APP, waitUntil } from "./child-server";

/**
 * Before any test: a migrated, empty template database that test files copy (see test/harness/database.ts), and the
 * real app (`npm start`'s script: migrate, seed, production build) on a free port with its own data
 * directory, for the tests that talk HTTP.
 *
 * `TEST_DB=postgres` runs the same on PostgreSQL: a throwaway cluster on loopback (or the server TEST_PG_URL
 * names, where this run's databases are dropped afterwards), a migrated template database that test files
 * clone, and an empty database the app migrates and seeds at start-up like any fresh deployment.
 */
export const SEED_PASSWORD = "integration-test-password";

let server: ChildProcess | undefined;
let root: string | undefined;
let output = "";
let cluster: Cluster | undefined;
let pgAdminUrl: string | undefined;
let pgDbPrefix: string | undefined;

export async function setup(project: TestProject) {
  try {
    await start(project);
  } catch (error) {
    // Vitest does not tear down after a failed setup: leave no server or PostgreSQL cluster behind.
    await teardown().catch(() => {});
    throw error;
  }
}

async function start(project: TestProject) {
  root = mkdtempSync(path.join(tmpdir(), "statement-console-test-"));
  const dataDir = path.join(root, "server");
  let serverDbUrl: string;
  if (process.env.TEST_DB === "postgres") {
    pgAdminUrl = process.env.TEST_PG_URL;
    if (!pgAdminUrl) {
      cluster = startCluster(await freePort());
      pgAdminUrl = cluster.adminUrl;
    }
    pgDbPrefix = `sc_test_${process.pid}_`;
    const template = `${pgDbPrefix}template`;
    const server = `${pgDbPrefix}server`;
    await adminQuery(pgAdminUrl, `CREATE DATABASE ${ident(template)}`, `CREATE DATABASE ${ident(server)}`);
    await migratePostgres(databaseUrl(pgAdminUrl, template), { log: () => {} });
    serverDbUrl = databaseUrl(pgAdminUrl, server);
    project.provide("testDb", "postgres");
    project.provide("pgAdminUrl", pgAdminUrl);
    project.provide("pgTemplateDb", template);
    project.provide("pgDbPrefix", pgDbPrefix);
  } else {
    const template = path.join(root, "template.db");
    const migrate = spawnSync("node_modules/.bin/prisma", ["migrate", "deploy"], {
      env: { ...process.env, DATABASE_URL: `file:${template}` },
      encoding: "utf8",
    });
    if (migrate.status !== 0)
      throw new Error(`prisma migrate deploy failed:\n${migrate.stdout}\n${migrate.stderr}`);
    const serverDb = path.join(dataDir, "app.db");
    serverDbUrl = `file:${serverDb}`;
    project.provide("testDb", "sqlite");
    project.provide("templateDb", template);
    project.provide("serverDb", serverDb);
  }

  const port = await freePort();
  server = spawn(START_APP.command, START_APP.args, {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: serverDbUrl,
      SEED_PASSWORD,
      NEXT_TELEMETRY_DISABLED: "1",
      // Client-facing tests each present their own X-Forwarded-For address, so each gets its own throttle
      // bucket (1/s, burst 10, as in production) and one test can exhaust its bucket without touching others.
      TRUST_PROXY: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Everything the server prints, for test/system/secret-scan.test.ts (which runs last) to search.
  const serverLog = path.join(root, "server.log");
  server.stdout?.on("data", (d) => appendFileSync(serverLog, d));
  server.stderr?.on("data", (d) => appendFileSync(serverLog, d));
  server.stdout?.on("data", (d) => (output += d));
  server.stderr?.on("data", (d) => (output += d));
  const baseUrl = `http://localhost:${port}`;
  await waitUntil(healthy(baseUrl), { child: server, log: () => output }, "The app", 180_000);

  project.provide("baseUrl", baseUrl);
  project.provide("serverDbUrl", serverDbUrl);
  project.provide("serverDataDir", dataDir);
  project.provide("seedPassword", SEED_PASSWORD);
  project.provide("serverLog", serverLog);
}

export async function teardown() {
  if (server && server.exitCode === null) {
    server.stdout?.removeAllListeners("data");
    server.stderr?.removeAllListeners("data");
    const exited = new Promise((resolve) => server!.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  if (pgAdminUrl && !cluster) await dropTestDatabases(pgAdminUrl, pgDbPrefix!);
  cluster?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
}

/** On a server we did not start, drop every database this run made (the template, the server's, the clones). */
async function dropTestDatabases(adminUrl: string, prefix: string) {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [prefix],
    );
    for (const { datname } of rows)
      await client.query(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

declare module "vitest" {
  export interface ProvidedContext {
    /** Which database this pass runs on (`TEST_DB=postgres` or the default). */
    testDb: "sqlite" | "postgres";
    /** The server's DATABASE_URL (`file:<serverDb>` on SQLite, `postgresql://…` on PostgreSQL). */
    serverDbUrl: string;
    /** SQLite only: the migrated template database file, and the server's database file. */
    templateDb: string;
    serverDb: string;
    /** The server's DATA_DIR (its auth-secret file): a second instance started on it shares the secret. */
    serverDataDir: string;
    /** PostgreSQL only: the admin URL of the server, the migrated template database, this run's name prefix. */
    pgAdminUrl: string;
    pgTemplateDb: string;
    pgDbPrefix: string;
    baseUrl: string;
    seedPassword: string;
    serverLog: string;
  }
}
