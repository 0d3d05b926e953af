/**
 * A server in a child process, as the tests and benchmarks start one: a free port, its own process group (so
 * that stopping it stops any child it started too: the console's process, Next), its output kept, and a wait
 * for health.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export type ChildServer = {
  child: ChildProcess;
  log: () => string;
  /** SIGTERM to the group, SIGKILL if it has not exited 15 s later. */
  stop: () => Promise<void>;
  /** SIGKILL to the whole group at once, as a crash would. */
  kill: () => Promise<void>;
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

/** `npm start` without npm in between (package.json's `start` says the same: a unit test holds them equal). */
export const START_APP = {
  command: "node",
  args: ["--require", "./server/register.cjs", "server/start.ts"],
};

/**
 * How the checkout in `dir` starts: its package.json's `start` ("exec <command> <args…>"), a command of its
 * node_modules/.bin found there as npm finds it. Another checkout (BENCH_BASE: the code before a change) may
 * start otherwise than this one: before `node --require ./server/register.cjs`, `npm start` was
 * `tsx --tsconfig server/tsconfig.json server/start.ts`, and that code has no server/register.cjs.
 */
export function startCommandIn(dir: string): { command: string; args: string[] } {
  const { scripts } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const [command, ...args] = scripts
    .start!.replace(/^exec /, "")
    .trim()
    .split(/\s+/);
  const bin = path.join("node_modules", ".bin", command!);
  return { command: existsSync(path.join(dir, bin)) ? bin : command!, args };
}

/** The production app, started as `npm start` starts it (in `cwd`, another checkout, as that one starts). */
export function spawnApp(env: NodeJS.ProcessEnv, cwd?: string): ChildServer {
  const { command, args } = cwd ? startCommandIn(cwd) : START_APP;
  return spawnServer(command, args, env, cwd);
}

/** `command` in its own process group; `cwd` (default: ours) is where it runs and where a relative `command` is. */
export function spawnServer(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd?: string,
): ChildServer {
  const child = spawn(command, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null && child.pid !== undefined;
  return {
    child,
    log: () => output,
    async stop() {
      if (!running()) return;
      process.kill(-child.pid!, "SIGTERM");
      const timeout = new Promise<"timeout">((resolve) =>
        setTimeout(() => resolve("timeout"), 15_000).unref(),
      );
      if ((await Promise.race([exited, timeout])) === "timeout") process.kill(-child.pid!, "SIGKILL");
      await exited;
    },
    async kill() {
      if (!running()) return;
      process.kill(-child.pid!, "SIGKILL");
      await exited;
    },
  };
}

/** Resolves once `ready()` says so; throws with the server's output if it exits first or takes too long. */
export async function waitUntil(
  ready: () => Promise<boolean>,
  server: Pick<ChildServer, "child" | "log">,
  what = "The app",
  timeoutMs = 240_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null) throw new Error(`${what} exited during start-up:\n${server.log()}`);
    if (Date.now() > deadline) throw new Error(`${what} did not become ready in time:\n${server.log()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The app's own readiness check. */
export const healthy = (baseUrl: string) => async () => (await fetch(`${baseUrl}/api/health`)).ok;
