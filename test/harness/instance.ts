import type { ChildProcess } from "node:child_process";
import { freePort, healthy, spawnApp, waitUntil } from "@/test/harness/child-server";

export type Instance = {
  baseUrl: string;
  log: () => string;
  /** The process started (node running server/start.ts: the front), the leader of the app's process group. */
  child: ChildProcess;
  stop: () => Promise<void>;
};

/** The real app (`npm start`'s script) in a child process on a free port, healthy before this resolves. */
export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const server = spawnApp({
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    ...env,
  });
  const baseUrl = `http://localhost:${port}`;
  try {
    await waitUntil(healthy(baseUrl), server, "The app", 180_000);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { baseUrl, log: server.log, child: server.child, stop: server.stop };
}
