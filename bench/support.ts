/**
 * What the benchmarks share:
 *
 * - the production app started the way `npm start` does, on a throwaway data directory and a free port, in its
 *   own process group (so that stopping it stops tsx's child too): startBenchApp;
 * - the database ours runs on: SQLite in each app's data directory (the default), or with BENCH_DB=postgres a
 *   throwaway PostgreSQL cluster with PostgreSQL's default durability (fsync and synchronous_commit on), one
 *   database that every instance of ours shares: benchDatabase;
 * - one reader of that database for the checks (statements, stored rows, audit chain) whichever it is: benchDb;
 * - the alternating rounds bench:token and bench:register run their sides in, with the figures they print:
 *   runAlternating;
 * - cleanup on Ctrl-C (SIGINT), SIGTERM and SIGHUP: every app, peer and cluster started here is stopped.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { freePort, healthy, spawnApp, waitUntil, type ChildServer } from "../test/harness/child-server";
import { adminQuery, databaseUrl, postgresBin, startCluster } from "../test/harness/postgres";
import { openSql, type Sql } from "../test/harness/sql";

// ── Cleanup on interruption ─────────────────────────────────────────────────────────────────────────────────

const cleanups = new Set<() => unknown>();
let listening = false;
let interrupted = false;

/**
 * Runs `stop` if the benchmark is interrupted (SIGINT, SIGTERM, SIGHUP) before it is done with the resource.
 * Returns the function that forgets it (call it once the resource is stopped the ordinary way).
 */
export function stopOnInterrupt(stop: () => unknown): () => void {
  if (!listening)
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
      process.on(signal, () => interrupt(signal));
  listening = true;
  cleanups.add(stop);
  return () => cleanups.delete(stop);
}

async function interrupt(signal: NodeJS.Signals) {
  if (interrupted) return; // a second Ctrl-C while stopping: keep stopping
  interrupted = true;
  console.error(`\n${signal}: stopping every server and database the benchmark started…`);
  // The newest first: the apps before the cluster they use.
  for (const stop of [...cleanups].reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error(error);
    }
  }
  process.exit(signal === "SIGINT" ? 130 : 143);
}

/** A server of the harness (a peer, the limit) stopped on interruption too. */
export function tracked(server: ChildServer): ChildServer {
  const forget = stopOnInterrupt(() => server.stop());
  return {
    ...server,
    stop: async () => {
      await server.stop();
      forget();
    },
  };
}

// ── The app ─────────────────────────────────────────────────────────────────────────────────────────────────

export type BenchApp = {
  baseUrl: string;
  dataDir: string;
  /** The SQLite file in dataDir (unused when databaseUrl is PostgreSQL's). */
  dbFile: string;
  /** The app's DATABASE_URL: `file:<dbFile>`, or the `postgresql://…` it was given. */
  databaseUrl: string;
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
  /** Another checkout of the app to run (BENCH_BASE: the code before a change), built as this one is. */
  cwd?: string;
};

export async function startBenchApp(
  env: Record<string, string> = {},
  options: BenchAppOptions = {},
): Promise<BenchApp> {
  const root = options.root ?? mkdtempSync(path.join(tmpdir(), "statement-console-bench-"));
  const dataDir = path.join(root, "server");
  const dbFile = path.join(dataDir, "app.db");
  const databaseUrl = env.DATABASE_URL ?? `file:${dbFile}`;
  const port = options.port ?? (await freePort());
  const baseUrl = `http://localhost:${port}`;
  const on = databaseUrl.startsWith("file:")
    ? `data in ${dataDir}`
    : `${redacted(databaseUrl)}, DATA_DIR ${dataDir}`;
  console.log(`Starting the production app on ${baseUrl} (${on})…`);
  const server = spawnApp(
    {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      SEED_PASSWORD: "bench-password-not-secret",
      NEXT_TELEMETRY_DISABLED: "1",
      DCR_THROTTLE: "off",
      TRUST_PROXY: "false",
      ...env,
    },
    options.cwd,
  );
  const stop = async () => {
    await server.stop();
    if (!options.root) rmSync(root, { recursive: true, force: true });
  };
  const forget = stopOnInterrupt(stop);
  try {
    await waitUntil(healthy(baseUrl), server);
  } catch (error) {
    await stop();
    forget();
    throw error;
  }
  return {
    baseUrl,
    dataDir,
    dbFile,
    databaseUrl,
    log: server.log,
    pgid: server.child.pid!,
    stop: async () => {
      await stop();
      forget();
    },
    kill: server.kill,
  };
}

const redacted = (url: string) => url.replace(/\/\/[^@/]*@/, "//");

// ── The database ours runs on ───────────────────────────────────────────────────────────────────────────────

export type BenchDatabase = {
  kind: "sqlite" | "postgres";
  /**
   * What every app of ours starts with. SQLite: nothing (each app its own file in its data directory).
   * PostgreSQL: the one database they share, and the AUTH_SECRET they must share (the signing keys in the
   * database are encrypted with a key derived from it; lib/keys/encryption.ts).
   */
  env: Record<string, string>;
  /** PostgreSQL: the CPU time the cluster (the postmaster, its backends and helpers) has used so far, in ms. */
  cpuMs?: () => number;
  /** A line saying what it is, for the output. */
  description: string;
  /** `env` for another, empty database beside it (PostgreSQL; SQLite: each app has its own file anyway). */
  another: (name: string) => Promise<Record<string, string>>;
  stop: () => void;
};

/** BENCH_DB: "postgres" (or "postgresql"), or SQLite (unset, "sqlite"). */
export function benchDbKind(): "sqlite" | "postgres" {
  const value = (process.env.BENCH_DB ?? "sqlite").toLowerCase();
  if (value === "sqlite") return "sqlite";
  if (value === "postgres" || value === "postgresql") return "postgres";
  throw new Error(`BENCH_DB must be "sqlite" or "postgres", not "${process.env.BENCH_DB}".`);
}

/**
 * SQLite, or with BENCH_DB=postgres a throwaway cluster (test/harness/postgres.ts's, with durable: true: fsync
 * and synchronous_commit at PostgreSQL's defaults, max_connections 200) holding one empty database, which the
 * first app to start migrates and seeds as any fresh deployment's. Stopped and removed by stop(), or on
 * interruption.
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  if (benchDbKind() === "sqlite")
    return {
      kind: "sqlite",
      env: {},
      description: "SQLite, a file in each app's data directory",
      another: async () => ({}),
      stop: () => {},
    };
  const bin = postgresBin();
  if (!bin) throw new Error("BENCH_DB=postgres needs PostgreSQL's binaries under /usr/lib/postgresql.");
  const cluster = startCluster(await freePort(), { durable: true });
  const forget = stopOnInterrupt(() => cluster.stop());
  const stop = () => {
    cluster.stop();
    forget();
  };
  try {
    await adminQuery(cluster.adminUrl, `CREATE DATABASE bench`);
    const url = databaseUrl(cluster.adminUrl, "bench");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    let settings: Record<string, string>;
    let postmaster: number | undefined;
    try {
      const { rows } = await client.query<{ name: string; setting: string }>(
        `SELECT name, setting FROM pg_settings
         WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'full_page_writes', 'max_connections')`,
      );
      settings = Object.fromEntries(rows.map((r) => [r.name, r.setting]));
      // Every backend is a child of the postmaster (each in a process group of its own, so not a group to count).
      const backend = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
      postmaster = procStat(backend)?.ppid;
    } finally {
      await client.end();
    }
    const env = { DATABASE_URL: url, AUTH_SECRET: randomBytes(32).toString("base64url") };
    return {
      kind: "postgres",
      env,
      async another(name) {
        await adminQuery(cluster.adminUrl, `CREATE DATABASE ${name}`);
        return { ...env, DATABASE_URL: databaseUrl(cluster.adminUrl, name) };
      },
      ...(postmaster && { cpuMs: () => treeCpuMs(postmaster) }),
      description:
        `PostgreSQL ${settings.server_version} (${bin}), a throwaway cluster on ${new URL(url).host}: ` +
        `fsync ${settings.fsync}, synchronous_commit ${settings.synchronous_commit}, ` +
        `full_page_writes ${settings.full_page_writes}, max_connections ${settings.max_connections}`,
      stop,
    };
  } catch (error) {
    stop();
    throw error;
  }
}

/** Reads on the database of ours, SQLite or PostgreSQL alike. */
export type BenchDb = {
  readonly dialect: Sql["dialect"];
  /** The first column of the first row as a number (a `SELECT COUNT(*) …`). */
  count: (sql: string, ...params: unknown[]) => Promise<number>;
  first: <T>(sql: string, ...params: unknown[]) => Promise<T | undefined>;
  all: <T>(sql: string, ...params: unknown[]) => Promise<T[]>;
  close: () => Promise<void>;
};

/**
 * A reader of the app's database (test/harness/sql.ts underneath). Write each query once for both databases:
 * `?` placeholders, every table and column double-quoted as Prisma names them ("SoftwareStatement",
 * "applicationId": PostgreSQL folds unquoted names to lower case, SQLite accepts the quotes too).
 */
export async function benchDb(app: Pick<BenchApp, "databaseUrl">): Promise<BenchDb> {
  const sql = await openSql(app.databaseUrl);
  return {
    dialect: sql.dialect,
    async count(query, ...params) {
      const row = await sql.get<Record<string, unknown>>(query, ...params);
      return Number(row ? Object.values(row)[0] : 0);
    },
    first: (query, ...params) => sql.get(query, ...params),
    all: (query, ...params) => sql.all(query, ...params),
    close: () => sql.close(),
  };
}

/**
 * The seed's statement the benchmarks register with: Acme TV for tvOS's active one, or (`revoked`) Acme Play's
 * revoked one (its leaked build). Throws when the seed has none.
 */
export async function seededStatement(db: BenchDb, revoked = false) {
  const statement = await db.first<{ jwt: string; organizationId: string }>(
    `SELECT s."jwt", s."organizationId" FROM "SoftwareStatement" s JOIN "Application" a ON a."id" = s."applicationId"
     WHERE a."name" = ? AND s."status" = ? ORDER BY s."createdAt" LIMIT 1`,
    ...(revoked ? ["Acme Play for Android TV", "REVOKED"] : ["Acme TV for tvOS", "ACTIVE"]),
  );
  if (!statement) throw new Error(`No ${revoked ? "revoked" : "active"} seeded statement.`);
  return statement;
}

/** A client registered on the app at `baseUrl` with the seeded statement, as a client would register it. */
export async function registerSeededClient(baseUrl: string, db: BenchDb) {
  const { jwt } = await seededStatement(db);
  const registration = await fetch(`${baseUrl}/o/client/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ software_statement: jwt }),
  });
  if (registration.status !== 201)
    throw new Error(`Registration failed: ${registration.status} ${await registration.text()}`);
  const { client_id, client_secret } = (await registration.json()) as Record<string, string>;
  return { statement: jwt, clientId: client_id!, clientSecret: client_secret! };
}

/** A count that has stopped moving: autocannon stops counting while the server still stores what it received. */
export async function settled(count: () => number | Promise<number>): Promise<number> {
  let last = await count();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await count();
    if (now === last) return now;
    last = now;
  }
  return last;
}

type ChainRow = { seq: number; hash: string; prevHash: string };

/**
 * The links of an audit chain from `from` on (or from its start): seq without gaps, each prevHash the hash
 * before it (the hashes themselves are the app's to verify). Returns its last row, or "broken".
 */
export async function verifyChainLinks(
  db: BenchDb,
  chain: string,
  from?: { seq: number; hash: string },
): Promise<{ seq: number; hash: string } | undefined | "broken"> {
  let prev = from;
  const columns = `SELECT "seq", "hash", "prevHash" FROM "AuditEvent" WHERE "chain" = ?`;
  const rows = await (from
    ? db.all<ChainRow>(`${columns} AND "seq" >= ? ORDER BY "seq"`, chain, from.seq)
    : db.all<ChainRow>(`${columns} ORDER BY "seq"`, chain));
  for (const row of rows) {
    if (from && row.seq === from.seq) {
      if (row.hash !== from.hash) return "broken";
      continue;
    }
    if (prev && (Number(row.seq) !== prev.seq + 1 || row.prevHash !== prev.hash)) return "broken";
    prev = { seq: Number(row.seq), hash: row.hash };
  }
  return prev;
}

// ── CPU time ────────────────────────────────────────────────────────────────────────────────────────────────

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * CPU time used so far (user + system, every thread: the event loop and libuv's pool) by the processes of a
 * process group, from /proc (Linux). Per request it is a cost that does not depend on what else the machine
 * runs, unlike requests per second.
 */
export function groupCpuMs(pgid: number): number {
  let ticks = 0;
  for (const stat of procStats()) if (stat.pgrp === pgid) ticks += stat.utime + stat.stime;
  return ticks * TICK_MS;
}

/**
 * CPU time used so far by a process and its children, the live ones and (through its cutime and cstime, once
 * it has waited for them) the exited ones: PostgreSQL's postmaster, whose backends come and go.
 */
export function treeCpuMs(parent: number): number {
  let ticks = 0;
  for (const stat of procStats())
    if (stat.pid === parent || stat.ppid === parent)
      ticks += stat.utime + stat.stime + stat.cutime + stat.cstime;
  return ticks * TICK_MS;
}

type ProcStat = {
  pid: number;
  ppid: number;
  pgrp: number;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
};

/** /proc/<pid>/stat (Linux), or undefined once the process has exited. */
function procStat(pid: number | string): ProcStat | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined; // exited meanwhile
  }
  // Fields after the command name, which is in parentheses and may hold spaces:
  // state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
  const fields = stat
    .slice(stat.lastIndexOf(")") + 2)
    .split(" ")
    .map(Number);
  return {
    pid: Number(pid),
    ppid: fields[1]!,
    pgrp: fields[2]!,
    utime: fields[11]!,
    stime: fields[12]!,
    cutime: fields[13]!,
    cstime: fields[14]!,
  };
}

function* procStats(): Generator<ProcStat> {
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = procStat(pid);
    if (stat) yield stat;
  }
}

// ── Alternating rounds ──────────────────────────────────────────────────────────────────────────────────────

/** One server to load: its URL and its process group (whose CPU time is counted). */
export type Target = { url: string; pgid: number };

export type Side = {
  name: string;
  /** The peer the others are compared with (at most one side). */
  peer?: boolean;
  /**
   * The servers loaded together, at the same time, the connections split evenly between them (two instances
   * of ours on one database: two autocannon runs in parallel, whose requests/s, successes and CPU time add up).
   */
  targets: Target[];
  headers: Record<string, string>;
  body: string;
  /** Headers of each request of its own, beside `headers` (ours: the device each registration comes from). */
  eachRequest?: () => Record<string, string>;
  /** The status every answer must have (ours: 201, or 400 for a revoked statement; OAuth's token: 200). */
  status: number;
  /** The CPU time the database server (PostgreSQL's cluster) has used so far, counted apart from the servers'. */
  dbCpuMs?: () => number;
  /** One request as a client makes it; throws unless the answer is what the side must give. Returns a description. */
  check: () => Promise<string>;
  /**
   * Ours: called before each measured load; returns the check to run after it with the successes counted
   * (stored rows against them, audit events, the chain), which returns the lines to print and whether it held.
   */
  beforeLoad?: () => Promise<(ok: number) => Promise<{ lines: string[]; consistent: boolean }>>;
};

export type Load = {
  rps: number;
  /** CPU time of the server (all its processes and threads, every target's) per successful response, in µs. */
  cpuUs: number;
  /** Of the database server (PostgreSQL), per successful response, in µs. */
  dbCpuUs?: number;
  /** The worst of the targets'. */
  p50: number;
  p99: number;
  ok: number;
  /** Answers with another status than the side's. */
  unexpected: number;
  errors: number;
  load1: number;
  consistent: boolean;
};

export type RoundOptions = {
  /** "token" or "register": the summary's `bench`, and what one success is ("token", "registration"). */
  bench: string;
  unit: string;
  title: string;
  db: BenchDatabase["kind"];
  rounds: number;
  duration: number;
  connections: number;
  warmup: number;
};

/** Splits `connections` evenly between `n` targets (the first ones get one more when it does not divide). */
export const split = (connections: number, n: number) =>
  Array.from({ length: n }, (_, i) => Math.floor(connections / n) + (i < connections % n ? 1 : 0));

const loadOnce = (side: Side, connections: number, duration: number) =>
  Promise.all(
    side.targets.map((target, i) =>
      autocannon({
        url: target.url,
        method: "POST",
        headers: side.headers,
        body: side.body,
        ...(side.eachRequest && {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({
                ...request,
                headers: { ...request.headers, ...side.eachRequest!() },
              }),
            },
          ],
        }),
        connections: split(connections, side.targets.length)[i]!,
        duration,
      }),
    ),
  );

async function measure(side: Side, o: RoundOptions): Promise<Load> {
  const after = await side.beforeLoad?.();
  const load1 = loadavg()[0]!;
  const cpu = () => side.targets.reduce((sum, t) => sum + groupCpuMs(t.pgid), 0);
  const cpuBefore = cpu();
  const dbCpuBefore = side.dbCpuMs?.() ?? 0;
  const results = await loadOnce(side, o.connections, o.duration);
  const cpuMs = cpu() - cpuBefore;
  const dbCpuMs = side.dbCpuMs ? side.dbCpuMs() - dbCpuBefore : undefined;
  let ok = 0;
  let unexpected = 0;
  for (const result of results)
    for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
      if (Number(code) === side.status) ok += stats?.count ?? 0;
      else unexpected += stats?.count ?? 0;
  const verdict = after ? await after(ok) : { lines: [], consistent: true };
  const figures: Load = {
    rps: results.reduce((sum, r) => sum + r.requests.average, 0),
    cpuUs: ok ? (cpuMs * 1000) / ok : 0,
    ...(dbCpuMs !== undefined && { dbCpuUs: ok ? (dbCpuMs * 1000) / ok : 0 }),
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    ok,
    unexpected,
    errors: results.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    load1,
    consistent: verdict.consistent,
  };
  console.log(
    `  ${side.name.padEnd(22)} ${figures.rps.toFixed(0).padStart(6)} req/s  ${cpu_(figures)} µs CPU/${o.unit}` +
      `  p50 ${figures.p50} ms  p99 ${figures.p99} ms  ${figures.ok} × ${side.status}` +
      `  other ${figures.unexpected}  errors ${figures.errors}  load ${load1.toFixed(2)}`,
  );
  for (const line of verdict.lines) console.log(`  ${" ".repeat(22)} ${line}`);
  return figures;
}

/** "612", or "612 + 240 db" when the database's CPU time is counted apart. */
const cpu_ = (f: { cpuUs: number; dbCpuUs?: number }) =>
  f.cpuUs.toFixed(0).padStart(4) + (f.dbCpuUs === undefined ? "" : ` + ${f.dbCpuUs.toFixed(0)} db`);

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * Checks each side and warms it up, then loads the sides in turn for `rounds` rounds (the order rotates every
 * round, so that slow drift of the machine falls on every side alike); prints each load, the means with each
 * side's ratio to the peer, and one JSON line. Sets process.exitCode = 1 when a side gave no success, another
 * status, or failed its stored-rows check.
 */
export async function runAlternating(sides: Side[], o: RoundOptions): Promise<Record<string, unknown>> {
  console.log(`\nChecking and warming up each side (${o.warmup} s)…`);
  for (const side of sides) {
    console.log(`  ${side.name}: ${await side.check()}`);
    if (o.warmup > 0) await loadOnce(side, o.connections, o.warmup);
  }
  const results = new Map<Side, Load[]>(sides.map((side) => [side, []]));
  for (let round = 0; round < o.rounds; round++) {
    console.log(`\nRound ${round + 1} of ${o.rounds} (${o.duration} s each, ${o.connections} connections):`);
    for (let i = 0; i < sides.length; i++) {
      const side = sides[(i + round) % sides.length]!;
      results.get(side)!.push(await measure(side, o));
    }
  }
  const peer = sides.find((side) => side.peer);
  const peerRps = peer && mean(results.get(peer)!.map((r) => r.rps));
  console.log(`\n${o.title}, mean of ${o.rounds} alternating round${o.rounds === 1 ? "" : "s"}:`);
  const summary: Record<string, unknown> = {
    bench: o.bench,
    db: o.db,
    rounds: o.rounds,
    duration: o.duration,
    connections: o.connections,
    cores: availableParallelism(),
  };
  for (const side of sides) {
    const loads = results.get(side)!;
    const rps = mean(loads.map((r) => r.rps));
    const cpuUs = mean(loads.map((r) => r.cpuUs));
    const dbCpuUs = side.dbCpuMs ? mean(loads.map((r) => r.dbCpuUs ?? 0)) : undefined;
    const ratio = peerRps && side !== peer ? rps / peerRps : undefined;
    const failed = loads.some((r) => r.ok === 0 || r.unexpected > 0 || !r.consistent);
    if (failed) process.exitCode = 1;
    console.log(
      `  ${side.name.padEnd(22)} ${rps.toFixed(0).padStart(6)} req/s  ${cpu_({ cpuUs, dbCpuUs })} µs CPU/${o.unit}` +
        (ratio === undefined ? "" : `  ${ratio.toFixed(2)}× the peer`) +
        (failed ? "  FAILED (see the rounds above)" : ""),
    );
    summary[side.name] = {
      rps: Math.round(rps),
      cpuUs: Math.round(cpuUs),
      ...(dbCpuUs !== undefined && { dbCpuUs: Math.round(dbCpuUs) }),
      p99: Math.max(...loads.map((r) => r.p99)),
      ...(ratio !== undefined && { ratio: Number(ratio.toFixed(2)) }),
      ...(failed && { failed: true }),
    };
  }
  summary.load1 = Number(mean(sides.flatMap((s) => results.get(s)!.map((r) => r.load1))).toFixed(2));
  console.log(`\n${JSON.stringify(summary)}`);
  return summary;
}

/** The machine, as every benchmark prints it first. */
export function printMachine(db: BenchDatabase) {
  console.log(
    `${availableParallelism()} cores; load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}; ours on ${db.description}`,
  );
}

// ── Ours ────────────────────────────────────────────────────────────────────────────────────────────────────

/** One side of ours: the apps it loads together, and a reader of their database. */
export type Ours = { name: string; apps: BenchApp[]; db: BenchDb; dbCpuMs?: () => number };

const list = (value: string, what: string) => {
  const numbers = value.split(",").map((v) => Number(v.trim()));
  if (numbers.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`${what} must be a comma-separated list of whole numbers ≥ 1, not "${value}".`);
  return numbers;
};

/**
 * Ours, started: on SQLite one app per BENCH_WORKERS entry (`WEB_CONCURRENCY`; `defaultWorkers` when unset),
 * each on its own data directory and database file; on PostgreSQL as many app processes as the largest
 * BENCH_INSTANCES entry (default "1,2"), one process each (WEB_CONCURRENCY=1), each on its own DATA_DIR and
 * port, all on the one database with the same AUTH_SECRET and PUBLIC_URL (the issuer in every statement and
 * token: the first instance's URL), as instances behind a load balancer are. The first migrates and seeds the
 * empty database; the others find both done (server/pg-migrate.ts's advisory lock, `seed --if-empty`). The
 * side "N instances" loads the first N of them together. `stop` stops them all.
 */
export async function startOurs(
  database: BenchDatabase,
  defaultWorkers = "1,2",
): Promise<{ sides: Ours[]; stop: () => Promise<void> }> {
  const base = process.env.BENCH_BASE;
  const ours = await startCode(database, database.env, defaultWorkers);
  if (!base) return ours;
  try {
    // BENCH_BASE: the same sides again, run from another checkout (the code before a change, built there), on a
    // database of their own: "before, …" beside "ours, …" in every round.
    const before = await startCode(database, await database.another("bench_before"), defaultWorkers, base);
    for (const side of before.sides) side.name = side.name.replace(/^ours/, "before");
    return {
      sides: [...before.sides, ...ours.sides],
      stop: async () => {
        await before.stop();
        await ours.stop();
      },
    };
  } catch (error) {
    await ours.stop();
    throw error;
  }
}

async function startCode(
  database: BenchDatabase,
  databaseEnv: Record<string, string>,
  defaultWorkers: string,
  cwd?: string,
): Promise<{ sides: Ours[]; stop: () => Promise<void> }> {
  const apps: BenchApp[] = [];
  const readers: BenchDb[] = [];
  const sides: Ours[] = [];
  const stop = async () => {
    for (const reader of readers.splice(0)) await reader.close().catch(() => {});
    for (const app of apps.splice(0).reverse()) await app.stop();
  };
  try {
    if (database.kind === "sqlite") {
      for (const workers of list(process.env.BENCH_WORKERS ?? defaultWorkers, "BENCH_WORKERS")) {
        const app = await startBenchApp({ ...databaseEnv, WEB_CONCURRENCY: String(workers) }, { cwd });
        apps.push(app);
        const db = await benchDb(app);
        readers.push(db);
        sides.push({ name: workers === 1 ? "ours, 1 process" : `ours, ${workers} workers`, apps: [app], db });
      }
    } else {
      const instances = list(process.env.BENCH_INSTANCES ?? "1,2", "BENCH_INSTANCES");
      const port = await freePort();
      const env = { ...databaseEnv, PUBLIC_URL: `http://localhost:${port}`, WEB_CONCURRENCY: "1" };
      for (let i = 0; i < Math.max(...instances); i++)
        apps.push(await startBenchApp(env, i === 0 ? { port, cwd } : { cwd }));
      const db = await benchDb(apps[0]!);
      readers.push(db);
      for (const n of instances)
        sides.push({
          name: n === 1 ? "ours, 1 instance" : `ours, ${n} instances`,
          apps: apps.slice(0, n),
          db,
          dbCpuMs: database.cpuMs,
        });
    }
    return { sides, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
