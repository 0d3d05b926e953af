/**
 * What the benchmarks share: the production app started the way `npm start` does, on a throwaway data
 * directory and a free port, in its own process group (so that stopping it stops tsx's child too).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import type autocannon from "autocannon";
import { freePort, healthy, spawnApp, waitUntil } from "../test/harness/child-server";

export type BenchApp = {
  baseUrl: string;
  dataDir: string;
  dbFile: string;
  log: () => string;
  /** The process group of the app (tsx, the server, its workers): see groupCpuMs. */
  pgid: number;
  stop: () => Promise<void>;
  /** SIGKILL to the whole process group (tsx and the server it runs), as a crash would; the data stays. */
  kill: () => Promise<void>;
};

export type BenchAppOptions = {
  /** An existing directory to keep the data in (and leave behind on stop), e.g. to restart on the same data. */
  root?: string;
  port?: number;
};

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
  const server = spawnApp({
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
  });
  const stop = async () => {
    await server.stop();
    if (!options.root) rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitUntil(healthy(baseUrl), server);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, dataDir, dbFile, log: server.log, pgid: server.child.pid!, stop, kill: server.kill };
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

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * CPU time used so far (user + system, every thread: the event loop and libuv's pool) by the processes of a
 * process group, from /proc (Linux). Per request it is a cost that does not depend on what else the machine
 * runs, unlike requests per second.
 */
export function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the command name, which is in parentheses and may hold spaces: state ppid pgrp … utime stime.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}
