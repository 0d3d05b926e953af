/**
 * `npm run bench:token`: the client-facing hot path under load. Starts the production app the way the tests do
 * (`tsx scripts/start.ts` on a temporary database, throttle off, a free port), registers one client with a
 * seeded statement, then drives `POST /o/client/token` with autocannon and prints what it measured. It builds
 * nothing itself (start.ts rebuilds only when the build is older than the sources: run `npx next build` first).
 *
 * Options (environment): BENCH_DURATION seconds (default 10), BENCH_CONNECTIONS (default 32),
 * BENCH_WARMUP seconds (default 2).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import Database from "better-sqlite3";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const STATEMENT_SQL = `SELECT s.jwt FROM SoftwareStatement s JOIN Application a ON a.id = s.applicationId
  WHERE a.name = 'Acme TV for tvOS' AND s.status = 'ACTIVE' ORDER BY s.createdAt LIMIT 1`;

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

/** The app in its own process group, so that stopping it stops tsx's child too. */
function startApp(port: number, dataDir: string): { child: ChildProcess; log: () => string } {
  const child = spawn("node_modules/.bin/tsx", ["scripts/start.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${path.join(dataDir, "app.db")}`,
      SEED_PASSWORD: "bench-password-not-secret",
      NEXT_TELEMETRY_DISABLED: "1",
      DCR_THROTTLE: "off",
      TRUST_PROXY: "false",
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return { child, log: () => output };
}

async function waitForHealth(baseUrl: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The app exited during start-up:\n${log()}`);
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The app did not become healthy in time:\n${log()}`);
}

async function stopApp(child: ChildProcess) {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  process.kill(-child.pid, "SIGTERM");
  const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 15_000).unref());
  if ((await Promise.race([exited, timeout])) === "timeout") process.kill(-child.pid, "SIGKILL");
}

/**
 * The AccessToken row count once the requests still in flight have landed: autocannon stops counting at the end
 * of its run, while the server still answers (and stores) what it had already received.
 */
async function settledTokenRows(db: Database.Database): Promise<number> {
  const count = () => (db.prepare("SELECT COUNT(*) AS n FROM AccessToken").get() as { n: number }).n;
  let last = count();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = count();
    if (now === last) return now;
    last = now;
  }
  return last;
}

function load(url: string, body: string, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
    connections: CONNECTIONS,
    duration,
  });
}

async function main(): Promise<number> {
  const root = mkdtempSync(path.join(tmpdir(), "statement-console-bench-"));
  const dataDir = path.join(root, "server");
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  console.log(`Starting the production app on ${baseUrl} (data in ${dataDir})…`);
  const { child, log } = startApp(port, dataDir);
  let db: Database.Database | undefined;
  try {
    await waitForHealth(baseUrl, child, log);
    db = new Database(path.join(dataDir, "app.db"), { readonly: true, fileMustExist: true });
    const statement = db.prepare(STATEMENT_SQL).get() as { jwt: string } | undefined;
    if (!statement) throw new Error("No active seeded statement for Acme TV for tvOS.");

    const registration = await fetch(`${baseUrl}/o/client/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ software_statement: statement.jwt }),
    });
    if (registration.status !== 201) throw new Error(`Registration failed: ${registration.status} ${await registration.text()}`);
    const { client_id, client_secret } = (await registration.json()) as { client_id: string; client_secret: string };
    const body = new URLSearchParams({ grant_type: "client_credentials", client_id, client_secret }).toString();
    const url = `${baseUrl}/o/client/token`;

    console.log(`Warming up for ${WARMUP} s…`);
    await load(url, body, WARMUP);
    const before = await settledTokenRows(db);
    console.log(`Measuring for ${DURATION} s at ${CONNECTIONS} connections…`);
    const loadBefore = loadavg()[0]!;
    const result = await load(url, body, DURATION);
    const added = (await settledTokenRows(db)) - before;
    const created = result.statusCodeStats?.["201"]?.count ?? 0;
    // Requests still in flight when autocannon stops are served (and stored) but not counted by it.
    const consistent = added >= created && added - created <= CONNECTIONS;

    const line = (label: string, value: string | number) => console.log(`  ${label.padEnd(34)} ${value}`);
    console.log("\nPOST /o/client/token (client_credentials, form body), throttle off");
    line("machine cores (availableParallelism)", availableParallelism());
    line("load average before / after (1 min)", `${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}`);
    line("duration / connections", `${result.duration} s / ${result.connections}`);
    line("requests/s (mean)", result.requests.average.toFixed(1));
    line("latency p50 / p99", `${result.latency.p50} ms / ${result.latency.p99} ms`);
    line("responses (total)", result.requests.total);
    line("201 responses", created);
    line("non-2xx responses", result.non2xx);
    line("connection errors / timeouts", `${result.errors} / ${result.timeouts}`);
    line("AccessToken rows added", `${added} ${consistent ? "(matches the 201s)" : "(MISMATCH with the 201s)"}`);
    return consistent && created > 0 ? 0 : 1;
  } finally {
    db?.close();
    await stopApp(child);
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
