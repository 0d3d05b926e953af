import { spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * PostgreSQL for the test pass `TEST_DB=postgres`: a throwaway cluster on loopback (or the server TEST_PG_URL
 * names), databases made by name, and URLs for them.
 */

/** The newest Debian PostgreSQL binaries, or undefined. */
export function postgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], "bin") : undefined;
}

export type Cluster = { adminUrl: string; stop: () => void };

export type ClusterOptions = {
  /**
   * PostgreSQL's default durability (fsync on, synchronous_commit on: each commit waits for its WAL flush),
   * as a deployment runs it, for benchmarks. Without it (the tests) fsync is off.
   */
  durable?: boolean;
};

/**
 * initdb into a temporary directory and start a server on `port` (loopback only, trust authentication: it
 * lives for one test run). PostgreSQL refuses to run as root, so when we are root it runs as `postgres`.
 */
export function startCluster(port: number, { durable = false }: ClusterOptions = {}): Cluster {
  const bin = postgresBin();
  if (!bin)
    throw new Error(
      "TEST_DB=postgres needs PostgreSQL (apt-get install -y postgresql) or TEST_PG_URL=postgresql://… of a server.",
    );
  const dir = mkdtempSync(path.join(tmpdir(), "sc-pg-"));
  const data = path.join(dir, "data");
  const socket = path.join(dir, "socket");
  mkdirSync(socket);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const ids = spawnSync("id", ["-u", "postgres"], { encoding: "utf8" });
    const gids = spawnSync("id", ["-g", "postgres"], { encoding: "utf8" });
    if (ids.status !== 0) throw new Error("Running as root needs a `postgres` user to run PostgreSQL as.");
    for (const d of [dir, socket]) chownSync(d, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
  }
  const as = (command: string, args: string[]) => {
    const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
    const result = spawnSync(cmd, argv, { encoding: "utf8", cwd: dir });
    if (result.status !== 0)
      throw new Error(`${command} ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  };
  as(path.join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "-E",
    "UTF8",
    "--locale=C",
    "-N",
  ]);
  as(path.join(bin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    path.join(dir, "server.log"),
    "-w",
    "-o",
    // fsync off (unless durable): a throwaway cluster need not survive a crash, and it makes every commit much
    // cheaper.
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${socket}${durable ? "" : " -c fsync=off"} -c max_connections=200`,
    "start",
  ]);
  return {
    adminUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      spawnSync(asRoot ? "runuser" : path.join(bin, "pg_ctl"), [
        ...(asRoot ? ["-u", "postgres", "--", path.join(bin, "pg_ctl")] : []),
        "-D",
        data,
        "-m",
        "immediate",
        "-w",
        "stop",
      ]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The URL of database `name` on the server of `url`. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Runs SQL on the server of `adminUrl` (one statement at a time: CREATE DATABASE cannot run in a block). */
export async function adminQuery(adminUrl: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    for (const sql of statements) await client.query(sql);
  } finally {
    await client.end();
  }
}

/** adminQuery, synchronously (in a child process), for callers that cannot await. */
export function adminQuerySync(adminUrl: string, ...statements: string[]): void {
  const script = `
    const pg = require("pg");
    const [url, ...statements] = JSON.parse(process.argv[1]);
    const client = new pg.Client({ connectionString: url });
    client.connect()
      .then(async () => { for (const s of statements) await client.query(s); })
      .then(() => client.end(), (e) => { console.error(e.message); process.exit(1); });`;
  const result = spawnSync(process.execPath, ["-e", script, JSON.stringify([adminUrl, ...statements])], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`PostgreSQL: ${statements.join("; ")} failed: ${result.stderr}`);
}

/** A double-quoted identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
