/**
 * `npm start`: migrate, seed an empty database, build if the build is missing or older than the sources,
 * then serve the production build. Nothing needs to be configured first (see lib/env.ts for the defaults).
 */
import cluster from "node:cluster";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { env } from "../lib/env";
import { prepareDatabase, run } from "./prepare";
import { runWorkers } from "./cluster";
import { startServer } from "./front";

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

function serve() {
  startServer({ dev: false }).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

if (cluster.isPrimary) {
  prepareDatabase();
  if (buildIsStale()) {
    console.log("Building the app (first start, or the sources changed)…");
    run("node_modules/.bin/next", ["build"]);
  }
  if (env.WEB_CONCURRENCY > 1) runWorkers(env.WEB_CONCURRENCY);
  else serve();
} else serve();
