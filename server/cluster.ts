import cluster from "node:cluster";

/**
 * The primary of `WEB_CONCURRENCY` workers sharing one port: each worker is a front (server/front.ts) on the
 * one database, given `env`. A worker that dies is replaced; SIGTERM/SIGINT go to every worker, and once they
 * all have drained the primary calls `drained` (which stops the console) and exits.
 */
export function runWorkers(count: number, env: Record<string, string>, drained: () => Promise<void>) {
  console.log(`Starting ${count} workers…`);
  // Counted here, not read from cluster.workers: a worker leaves that list when both its exit and the close
  // of its IPC channel have been seen, in either order, so at its "exit" event it may still be listed.
  const running = new Set<number>();
  const fork = () => running.add(cluster.fork(env).id);
  const exit = () =>
    void drained().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  for (let i = 0; i < count; i++) fork();
  let stopping = false;
  cluster.on("exit", (worker, code, signal) => {
    running.delete(worker.id);
    if (stopping) {
      if (running.size === 0) exit();
      return;
    }
    console.error(`Worker ${worker.process.pid} exited (${signal ?? code}); starting another.`);
    fork();
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      if (running.size === 0) exit();
    });
  }
}
