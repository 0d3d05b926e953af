/**
 * The console's own process: Next (pages, the admin API, server actions, and whatever the hot path leaves to
 * the route files), listening on a private Unix socket for the front (server/front.ts) alone. It is started
 * by server/console-process.ts, never by hand: the front has already checked each request and set the
 * request id and client IP headers that the app trusts, and nothing else can reach the socket.
 *
 * Arguments: the socket path, "dev" or "production", and the port the front listens on.
 */
import "./console-source-maps"; // first: before Next loads
import { rmSync } from "node:fs";
import { createServer, request, type ServerResponse } from "node:http";
import path from "node:path";
import next from "next";
import { handleAction, isActionRequest } from "./action-status";

const WEBHOOKS_AFTER_MS = 2_000;
const WEBHOOKS_LATEST_MS = 30_000;
const IDLE_MS = 1_000;
const WARM_UP_AFTER_MS = 1_000;

/**
 * tsx's hook, set by server/register.cjs (`npm start`; absent in development, where the tsx command loads
 * everything): off while Next loads its own JavaScript, on only to load more of ours.
 */
const typeScriptHook = (globalThis as { [key: symbol]: { on(): void; off(): void } | undefined })[
  Symbol.for("statement-console.typescript-hook")
];

/** Loads TypeScript of ours after start-up, with tsx's hook on for just that long. */
function requireTypeScript<T>(load: () => T): T {
  typeScriptHook?.on();
  try {
    return load();
  } finally {
    typeScriptHook?.off();
  }
}

/**
 * Asked by the console of itself over its own socket, right after it is ready: the first pages of a day after
 * a restart (sign-in, then the Overview), so that their first visit does not pay for the first run of their
 * code. At 1M registrations the first Overview after a restart took ~0.4-0.5 s, against ~0.2-0.26 s with this
 * and ~0.06-0.13 s once warm (docs/performance.md). Plain GETs without a session: the login page, and the
 * Overview with a session cookie that Auth.js does not read. The proxy only looks for a session cookie's name
 * (either form: with and without the __Secure- prefix); Auth.js reads the one form that PUBLIC_URL's scheme
 * gives (lib/env.ts: http://localhost by default), so the warm-up sends the other: the dashboard's layout
 * finds no session and redirects to /login?reason=session, as for a visitor signed out. That loads and runs
 * the Overview's route, its layout and Auth.js's session read once; no organization's data is read, nothing
 * is written, and nothing is logged. It delays neither readiness nor the first answer: it starts once the
 * console has answered its first request (or a second after it is ready, if none came), and a request arriving
 * meanwhile waits at most for the one warm-up request in progress (~0.2-0.5 s).
 */
const unreadSessionCookie = (process.env.PUBLIC_URL ?? "").startsWith("https:")
  ? "authjs.session-token=warm-up"
  : "__Secure-authjs.session-token=warm-up";
const WARM_UP: { path: string; cookie?: string }[] = [
  { path: "/login" },
  { path: "/", cookie: unreadSessionCookie },
];

async function warmUp(socketPath: string, port: string) {
  for (const { path: target, cookie } of WARM_UP) {
    const headers = { host: `localhost:${port}`, ...(cookie && { cookie }) };
    await new Promise<void>((resolve) => {
      const req = request({ socketPath, path: target, headers }, (res) => res.resume().once("end", resolve));
      req.once("error", () => resolve()); // a warm-up only: whatever happens, the console serves as it is
      req.end();
    });
  }
}

async function main() {
  const [socketPath, mode, port] = process.argv.slice(2);
  if (!socketPath || !port || !process.send)
    throw new Error("server/next-app.ts is started by the front, not by hand.");
  typeScriptHook?.off(); // this file's imports are loaded: what Next loads from here on is JavaScript
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
    if (isActionRequest(req)) void handleAction(req, res, handle);
    else void handle(req, res);
  });
  /** Runs `task` once no request has been in flight for IDLE_MS, and at the latest after `latestMs`. */
  const whenIdle = (task: () => void, latestMs: number) => {
    const start = Date.now();
    let quietSince = start;
    const check = setInterval(() => {
      if (inFlight > 0) quietSince = Date.now();
      if (Date.now() - quietSince < IDLE_MS && Date.now() - start < latestMs) return;
      clearInterval(check);
      task();
    }, IDLE_MS / 4).unref();
  };
  // httpServer: development's hot reload WebSocket upgrades on it.
  const app = next({
    dev: mode === "dev",
    dir: process.cwd(),
    hostname: "localhost",
    port: Number(port),
    httpServer: server,
  });
  const handle = app.getRequestHandler();
  await app.prepare();
  rmSync(socketPath, { force: true }); // a socket left by a predecessor that was killed
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  // Webhook deliveries go out from here: one console per machine (the cluster's workers are fronts), so one
  // sender per instance; instances sharing a database take turns by claim (lib/webhooks/sender.ts). Loading it
  // (a Prisma client of its own, zod, ~0.2-0.4 s) holds this process's event loop: not before the console is
  // ready, and then at its first idle moment (no request for IDLE_MS, two seconds after it is ready at the
  // earliest, WEBHOOKS_LATEST_MS at the latest), so that no page waits for it. Its passes run every 2 s.
  let stopping = false;
  let stopWebhooks = async () => {};
  const startWebhooks = () => {
    if (stopping) return;
    const webhooks = requireTypeScript(
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred (server/register.cjs: CommonJS)
      () => require("../lib/webhooks/worker") as typeof import("../lib/webhooks/worker"),
    );
    stopWebhooks = webhooks.startWebhookWorker();
  };
  setTimeout(() => whenIdle(startWebhooks, WEBHOOKS_LATEST_MS), WEBHOOKS_AFTER_MS).unref();

  // The front says when to stop, once it has drained its own connections (which may be waiting on this
  // process); the signal a terminal or a process manager sends to the whole group is the front's to act on.
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => {});
  process.on("message", (message) => {
    if (message !== "stop") return;
    stopping = true;
    void stopWebhooks();
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
  process.on("disconnect", () => {
    // The front is gone, even by SIGKILL: nothing can reach us, and no one else will clear its directory.
    rmSync(path.dirname(socketPath), { recursive: true, force: true });
    process.exit(0);
  });
  process.send("ready");
  if (mode === "production") {
    // Once the first request has been answered (a health check, a visitor), or after a second without any: the
    // first answer does not wait behind it.
    let warming = false;
    const warm = () => {
      if (warming) return;
      warming = true;
      void warmUp(socketPath, port);
    };
    server.once("request", (_req, res: ServerResponse) => res.once("finish", () => setImmediate(warm)));
    setTimeout(warm, WARM_UP_AFTER_MS).unref();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
