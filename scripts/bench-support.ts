/**
 * What the benchmarks share: the production app started the way `npm start` does, on a throwaway data
 * directory and a free port, in its own process group (so that stopping it stops tsx's child too).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import type autocannon from "autocannon";

export type BenchApp = {
  baseUrl: string;
  dataDir: string;
  dbFile: string;
  log: () => string;
  stop: () => Promise<void>;
  /** SIGKILL to the whole process group (tsx and the server it runs), as a crash would; the data stays. */
  kill: () => Promise<void>;
};

export type BenchAppOptions = {
  /** An existing directory to keep the data in (and leave behind on stop), e.g. to restart on the same data. */
  root?: string;
  port?: number;
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startBenchApp(
  env: Record<string, string> = {},
  options: BenchAppOptions = {},
): Promise<BenchApp> {
  const root = options.root ?? mkdtempSync(path.join(tmpdir(), "statement-console-bench-"));
  const dataDir = path.join(root, "server");
  const dbFile = path.join(dataDir, "app.db");
  const port = options.port ?? (await freePort());
  const baseUrl = `http://localhost:${port}`;
  console.log(`Starting the production app on ${baseUrl} (data in ${dataDir})…`);
  const child: ChildProcess = spawn("node_modules/.bin/tsx", ["scripts/start.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: `file:${dbFile}`,
      SEED_PASSWORD: "bench-password-not-secret",
      NEXT_TELEMETRY_DISABLED: "1",
      DCR_THROTTLE: "off",
      TRUST_PROXY: "false",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(-child.pid, "SIGKILL");
      await exited;
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      process.kill(-child.pid, "SIGTERM");
      const timeout = new Promise<"timeout">((resolve) =>
        setTimeout(() => resolve("timeout"), 15_000).unref(),
      );
      if ((await Promise.race([exited, timeout])) === "timeout") process.kill(-child.pid, "SIGKILL");
    }
    if (!options.root) rmSync(root, { recursive: true, force: true });
  };

  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`The app did not become healthy in time:\n${output}`);
    }
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { baseUrl, dataDir, dbFile, log: () => output, stop, kill };
}

/** A count that has stopped moving: autocannon stops counting while the server still stores what it received. */
export async function settled(count: () => number): Promise<number> {
  let last = count();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = count();
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** The figures every load benchmark prints, one per line. */
export function printLoad(
  title: string,
  result: autocannon.Result,
  loadBefore: number,
  extra: [string, string | number][] = [],
) {
  const line = (label: string, value: string | number) => console.log(`  ${label.padEnd(36)} ${value}`);
  console.log(`\n${title}`);
  line("machine cores (availableParallelism)", availableParallelism());
  line("load average before / after (1 min)", `${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}`);
  line("duration / connections", `${result.duration} s / ${result.connections}`);
  line("requests/s (mean)", result.requests.average.toFixed(1));
  line("latency p50 / p99", `${result.latency.p50} ms / ${result.latency.p99} ms`);
  line("responses (total)", result.requests.total);
  line("non-2xx responses", result.non2xx);
  line("connection errors / timeouts", `${result.errors} / ${result.timeouts}`);
  for (const [label, value] of extra) line(label, value);
}
