import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

/**
 * Before any test: a migrated, empty template database that test files copy (see test/database.ts), and the
 * real app (`npm start`'s script: migrate, seed, production build) on a free port with its own data
 * directory, for the tests that talk HTTP.
 */
export const SEED_PASSWORD = "integration-test-password";

let server: ChildProcess | undefined;
let root: string | undefined;
let output = "";

export async function setup(project: TestProject) {
  root = mkdtempSync(path.join(tmpdir(), "statement-console-test-"));
  const template = path.join(root, "template.db");
  const migrate = spawnSync("node_modules/.bin/prisma", ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${template}` },
    encoding: "utf8",
  });
  if (migrate.status !== 0)
    throw new Error(`prisma migrate deploy failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const port = await freePort();
  const dataDir = path.join(root, "server");
  const serverDb = path.join(dataDir, "app.db");
  server = spawn("node_modules/.bin/tsx", ["scripts/start.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${serverDb}`,
      SEED_PASSWORD,
      NEXT_TELEMETRY_DISABLED: "1",
      // Client-facing tests each present their own X-Forwarded-For address, so each gets its own throttle
      // bucket (1/s, burst 10, as in production) and one test can exhaust its bucket without touching others.
      TRUST_PROXY: "true",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Everything the server prints, for test/secret-scan.test.ts (which runs last) to search.
  const serverLog = path.join(root, "server.log");
  server.stdout?.on("data", (d) => appendFileSync(serverLog, d));
  server.stderr?.on("data", (d) => appendFileSync(serverLog, d));
  server.stdout?.on("data", (d) => (output += d));
  server.stderr?.on("data", (d) => (output += d));
  const baseUrl = `http://localhost:${port}`;
  await waitForHealth(baseUrl, () => output);

  project.provide("templateDb", template);
  project.provide("baseUrl", baseUrl);
  project.provide("serverDb", serverDb);
  project.provide("serverDataDir", dataDir);
  project.provide("serverDbUrl", `file:${serverDb}`);
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
  if (root) rmSync(root, { recursive: true, force: true });
}

async function waitForHealth(baseUrl: string, log: () => string) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`The app exited during start-up:\n${log()}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The app did not become healthy in time:\n${log()}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
    baseUrl: string;
    serverDb: string;
    /** The server's DATA_DIR (its auth-secret file): a second instance started on it shares the secret. */
    serverDataDir: string;
    /** The server's DATABASE_URL: `file:/path/app.db` or `postgresql://…` (see test/sql.ts). */
    serverDbUrl: string;
    seedPassword: string;
    serverLog: string;
  }
}
