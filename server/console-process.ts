/**
 * Starts and keeps the console's process (server/next-app.ts: Next) for a front. The client-facing endpoints
 * are served by the front itself, in a process that never loads Next: Next's AsyncLocalStorage turns on
 * promise hooks for its whole process, and it patches globals and fills the heap, which cost the token
 * endpoint ~10 % of its throughput (docs/performance.md). The console is restarted if it dies.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { env } from "../lib/env";

export type ConsoleProcess = {
  /** The Unix socket the console listens on (in a directory only this user can enter). */
  socketPath: string;
  /** Lets the console finish its open requests, then waits for it to exit. */
  stop: () => Promise<void>;
};

const RESTART_DELAY_MS = 1_000;

export async function startConsole({ dev }: { dev: boolean }): Promise<ConsoleProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), "statement-console-"));
  const socketPath = path.join(dir, "next.sock");
  const clear = () => rmSync(dir, { recursive: true, force: true });
  process.on("exit", clear); // however this process ends, but SIGKILL (then the console clears it)
  let stopping = false;

  const spawn = () =>
    new Promise<ChildProcess>((resolve, reject) => {
      const args = [socketPath, dev ? "dev" : "production", String(env.PORT)];
      const child = fork(path.join(__dirname, "next-app.ts"), args);
      const onExit = (code: number | null, signal: string | null) =>
        reject(new Error(`The console process exited (${signal ?? code}) while starting.`));
      child.once("exit", onExit);
      child.once("message", (message) => {
        if (message !== "ready") return;
        child.off("exit", onExit);
        child.once("exit", (code, signal) => {
          if (stopping) return;
          console.error(`The console process exited (${signal ?? code}); starting another.`);
          restartSoon();
        });
        resolve(child);
      });
    });
  // Until one starts: a console that fails while starting is tried again, as often as it takes.
  const restartSoon = () =>
    setTimeout(() => {
      if (stopping) return;
      spawn().then(
        (child) => (current = child),
        (error: unknown) => {
          console.error(error);
          restartSoon();
        },
      );
    }, RESTART_DELAY_MS);
  let current = await spawn();

  return {
    socketPath,
    async stop() {
      stopping = true;
      const child = current;
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        if (child.connected) child.send("stop");
        await exited;
      }
      clear();
    },
  };
}
