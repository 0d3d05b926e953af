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
import { env } from "../lib/env";
import { buildIsStale } from "./build-state";
import { prepareDatabase, run } from "./prepare";
import { runWorkers } from "./cluster";
import { startConsole } from "./console-process";

/** How the primary tells its workers where the console listens. */
const CONSOLE_SOCKET = "STATEMENT_CONSOLE_SOCKET";

/**
 * The front's code (the hot path, the client endpoints' core, their SQL), loaded only once the console's
 * process is starting: loading it takes this process ~0.4 s, which then overlaps the console's own start (the
 * longer one) instead of coming before it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a deferred load (server/register.cjs: CommonJS)
const loadFront = () => require("./front") as typeof import("./front");

async function main() {
  if (!cluster.isPrimary) {
    await loadFront().startFront({ dev: false, consoleSocket: process.env[CONSOLE_SOCKET]! });
    return;
  }
  prepareDatabase();
  if (buildIsStale()) {
    console.log("Building the app (first start, or the sources changed)…");
    run("node_modules/.bin/next", ["build"]);
  }
  const starting = startConsole({ dev: false });
  if (env.WEB_CONCURRENCY > 1) {
    const consoleApp = await starting;
    runWorkers(env.WEB_CONCURRENCY, { [CONSOLE_SOCKET]: consoleApp.socketPath }, consoleApp.stop);
    return;
  }
  const { startFront } = loadFront();
  const consoleApp = await starting;
  await startFront({ dev: false, consoleSocket: consoleApp.socketPath, drained: consoleApp.stop });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
