import cluster from "node:cluster";

/**
 * The primary of `WEB_CONCURRENCY` workers sharing one port: each worker is a whole app (Next and the hot
 * path) on the one database. A worker that dies is replaced; SIGTERM/SIGINT go to every worker, and the
 * primary exits once they all have drained.
 */
export function runWorkers(count: number) {
  console.log(`Starting ${count} workers…`);
  for (let i = 0; i < count; i++) cluster.fork();
  let stopping = false;
  const allExited = () => Object.keys(cluster.workers ?? {}).length === 0;
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (allExited()) process.exit(0);
      return;
    }
    console.error(`Worker ${worker.process.pid} exited (${signal ?? code}); starting another.`);
    cluster.fork();
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
      if (allExited()) process.exit(0);
    });
  }
}
