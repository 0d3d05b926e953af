/**
 * `npm start`: migrate, seed an empty database, build if the build is missing or older than the sources,
 * then serve the production build. Nothing needs to be configured first (see lib/env.ts for the defaults).
 *
 * Processes: this one is the front (./front.ts: the port, the checks every request gets, the client-facing
 * endpoints), and starts the console (./console-process.ts: Next, on a private socket). With
 * WEB_CONCURRENCY > 1 this one is the cluster's primary instead: it starts the console, and its workers are
 * fronts that share the port and that one console.
 */
import cluster from "node:cluster";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { env } from "../lib/env";
import { prepareDatabase, run } from "./prepare";
import { runWorkers } from "./cluster";
import { startConsole } from "./console-process";
import { startFront } from "./front";

/** How the primary tells its workers where the console listens. */
const CONSOLE_SOCKET = "STATEMENT_CONSOLE_SOCKET";

const SOURCES = [
  "app",
  "components",
  "lib",
  "proxy.ts",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
  "prisma/schema.prisma",
  "prisma/postgres/schema.prisma",
];
const SKIP = new Set(["generated", "node_modules"]);

function newestMtime(entry: string): number {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of readdirSync(entry)) {
    // Tests are not part of the build: editing one must not trigger a rebuild.
    if (!SKIP.has(child) && !/\.test\.tsx?$/.test(child))
      newest = Math.max(newest, newestMtime(path.join(entry, child)));
  }
  return newest;
}

function buildIsStale(): boolean {
  const buildId = ".next/BUILD_ID";
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestMtime(source) > built);
}

async function main() {
  if (!cluster.isPrimary) {
    await startFront({ dev: false, consoleSocket: process.env[CONSOLE_SOCKET]! });
    return;
  }
  prepareDatabase();
  if (buildIsStale()) {
    console.log("Building the app (first start, or the sources changed)…");
    run("node_modules/.bin/next", ["build"]);
  }
  const consoleApp = await startConsole({ dev: false });
  if (env.WEB_CONCURRENCY > 1)
    runWorkers(env.WEB_CONCURRENCY, { [CONSOLE_SOCKET]: consoleApp.socketPath }, consoleApp.stop);
  else await startFront({ dev: false, consoleSocket: consoleApp.socketPath, drained: consoleApp.stop });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
