/**
 * `npm run bench:threads [token|register]`: where the front's CPU goes, thread by thread, under the load
 * bench:token or bench:register puts on ours alone (one process). It starts the production app (build it
 * first), registers one client with the demo statement, warms up, then loads the endpoint BENCH_ROUNDS times
 * (2) for BENCH_DURATION seconds (8) with BENCH_CONNECTIONS (32), and prints each thread's CPU per request
 * (from /proc/<pid>/task/<tid>/stat; Linux only): the event loop, the signers (RS256 for tokens), the SQLite
 * checkpointer and V8's own. It answers "which thread pays", which bench:token's one figure for the whole
 * process cannot. SQLite unless BENCH_DB=postgres: then a throwaway PostgreSQL cluster (as bench:token's), whose
 * CPU per request is printed too. BENCH_BASE=<directory> runs that checkout instead (built there), for the
 * figure before a change.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import autocannon from "autocannon";
import { benchDatabase, benchDb, registerSeededClient, startBenchApp } from "./support";

const which = process.argv[2] === "register" ? "register" : "token";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

/** CPU milliseconds so far of each thread of `pid`, by thread id. */
function threadCpuMs(pid: number): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`).map(Number)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks.set(tid, (Number(fields[11]) + Number(fields[12])) * 10); // utime + stime, in 10 ms ticks
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return ticks;
}

/** The process listening on the app's port (`ss`, from iproute2): the front (server/front.ts), which serves the hot path. */
function frontPid(port: string): number {
  const listening = execFileSync("ss", ["-ltnpH", `sport = :${port}`], { encoding: "utf8" });
  const pid = /pid=(\d+)/.exec(listening)?.[1];
  if (!pid) throw new Error(`No process found listening on port ${port}.`);
  return Number(pid);
}

async function main() {
  const database = await benchDatabase();
  const app = await startBenchApp(
    { ...database.env, WEB_CONCURRENCY: "1" },
    { cwd: process.env.BENCH_BASE },
  ).catch((error: unknown) => {
    database.stop();
    throw error;
  });
  try {
    const db = await benchDb(app);
    const { statement, clientId, clientSecret } = await registerSeededClient(app.baseUrl, db);
    await db.close();
    const target =
      which === "register"
        ? {
            url: `${app.baseUrl}/o/client/register`,
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ software_statement: statement }),
          }
        : {
            url: `${app.baseUrl}/o/client/token`,
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body: new URLSearchParams({
              grant_type: "client_credentials",
              client_id: clientId,
              client_secret: clientSecret,
            }).toString(),
          };
    const load = (duration: number) =>
      autocannon({
        ...target,
        method: "POST",
        connections: CONNECTIONS,
        duration,
      }) as unknown as Promise<autocannon.Result>;
    await load(3);
    const pid = frontPid(new URL(app.baseUrl).port);
    for (let round = 1; round <= ROUNDS; round++) {
      const before = threadCpuMs(pid);
      const dbBefore = database.cpuMs?.() ?? 0;
      const result = await load(DURATION);
      const after = threadCpuMs(pid);
      const dbMs = (database.cpuMs?.() ?? 0) - dbBefore;
      const ok = result["2xx"];
      const perRequest = (ms: number) => Math.round((ms * 1000) / ok);
      const threads = [...after]
        .map(([tid, ms]) => ({ tid, us: perRequest(ms - (before.get(tid) ?? 0)) }))
        .filter((t) => t.us > 0)
        .sort((a, b) => (a.tid === pid ? -1 : b.tid === pid ? 1 : b.us - a.us));
      const total = threads.reduce((sum, t) => sum + t.us, 0);
      console.log(
        `${which}, round ${round}: ${Math.round(result.requests.average)} req/s, ${ok} × 2xx, ` +
          `${result.non2xx} other, p99 ${result.latency.p99} ms; CPU per request ${total} µs: ` +
          threads.map((t) => `${t.tid === pid ? "event loop" : `thread ${t.tid}`} ${t.us}`).join(", ") +
          (database.cpuMs ? `; PostgreSQL ${perRequest(dbMs)} µs` : ""),
      );
    }
  } finally {
    await app.stop();
    database.stop();
  }
}

void main();
