import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { healthy, waitUntil } from "@/test/harness/child-server";
import { startInstance } from "@/test/harness/instance";

/** The pids in a process group whose command line contains `marker`. */
function pidsOf(pgid: number, marker: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== pgid) continue;
      if (readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker)) pids.push(Number(pid));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * `npm start` serves the client endpoints from its front process, which never loads Next, and the console
 * from a process of its own behind it (server/console-process.ts). The console dying must not stop the
 * client endpoints, must be answered with a 503 to retry (in the API's shape) and be repaired; the front
 * dying, even by SIGKILL, must not leave the console running on its own.
 */
it("restarts a console that dies, keeps the client endpoints up meanwhile, and leaves no orphan", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "sc-console-process-"));
  const server = await startInstance({
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "app.db")}`,
    SEED_PASSWORD: "console-process-test",
  });
  const { baseUrl } = server;
  const pgid = server.child.pid!;
  const token = () =>
    fetch(`${baseUrl}/o/client/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&client_id=nobody&client_secret=nothing",
    });
  try {
    const [consolePid] = pidsOf(pgid, "next-app.ts");
    expect(consolePid).toBeDefined();

    process.kill(consolePid!, "SIGKILL");
    await until(() => !alive(consolePid!), "The console's exit");
    const admin = await fetch(`${baseUrl}/api/admin/orgs`);
    expect(admin.status).toBe(503);
    expect(admin.headers.get("retry-after")).toBe("1");
    expect(((await admin.json()) as { error: { code: string } }).error.code).toBe("unavailable");
    // The client endpoints never wait on the console: an unknown client is refused as ever.
    const refused = await token();
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: string }).error).toBe("invalid_client");

    await waitUntil(healthy(baseUrl), server, "The restarted console", 120_000);
    expect(server.log()).toContain("The console process exited (SIGKILL); starting another.");
    const [restarted] = pidsOf(pgid, "next-app.ts");
    expect(restarted).not.toBe(consolePid);
    // Its arguments: the script, then the socket it listens on.
    const socketPath = readFileSync(`/proc/${restarted}/cmdline`, "utf8")
      .split("\0")
      .find((a) => a.endsWith(".sock"))!;
    expect(existsSync(socketPath)).toBe(true);

    // SIGKILL to the front alone: its console sees the channel close and exits.
    const fronts = pidsOf(pgid, "server/start.ts");
    expect(fronts, "the node process running server/start.ts, the group's leader").toEqual([pgid]);
    process.kill(fronts[0]!, "SIGKILL");
    await until(() => !alive(restarted!), "The orphaned console's exit");
    expect(existsSync(path.dirname(socketPath)), "the socket's directory, cleared by the console").toBe(
      false,
    );
  } finally {
    await server.stop();
  }
}, 360_000);
