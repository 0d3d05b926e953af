/**
 * `npm run bench:token`: the client-facing token endpoint against its peer, in one alternating run on one
 * machine with the same load generator (autocannon, in-process), connections and duration:
 *   ours ×N — `POST /o/client/token` of the production build, started as `npm start` does, once per
 *             BENCH_WORKERS entry (`WEB_CONCURRENCY`; default "1,2": one process, and two workers), each on a
 *             throwaway DATA_DIR with the throttle off and a client registered through `POST /o/client/register`;
 *   limit   — bare node:http and one RS256 signature per request (bench/token-limit.mjs), unless BENCH_LIMIT=0;
 *   peer    — node-oidc-provider (bench/token-peer.mjs, its own process): client_credentials, RS256 JWT access
 *             token for a default resource, 6 h, in-memory adapter, client_secret_post.
 * All servers are started first and stay up; each is checked (a 2xx with an RS256 JWT access token) and
 * warmed up, then BENCH_ROUNDS rounds load each in turn (the order rotates every round), so that slow drift of
 * the machine falls on every side alike. Ours must store every token it answers with: the AccessToken rows
 * added during each measured load are counted against its 201s. It builds nothing itself (start.ts rebuilds
 * only when the build is older than the sources: run `npx next build` first).
 *
 * Options (environment): BENCH_ROUNDS (3), BENCH_DURATION seconds per load (8), BENCH_CONNECTIONS (32),
 * BENCH_WARMUP seconds (3), BENCH_WORKERS ("1,2"), BENCH_LIMIT (1: also load bench/token-limit.mjs, bare
 * node:http signing one RS256 JWT per request and checking and storing nothing; 0: not).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { groupCpuMs, settled, startBenchApp, type BenchApp } from "./support";
import { freePort, spawnServer, waitUntil, type ChildServer } from "../test/harness/child-server";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const WORKERS = (process.env.BENCH_WORKERS ?? "1,2").split(",").map(Number);
const LIMIT = process.env.BENCH_LIMIT !== "0";
const STATEMENT_SQL = `SELECT s.jwt FROM SoftwareStatement s JOIN Application a ON a.id = s.applicationId
  WHERE a.name = 'Acme TV for tvOS' AND s.status = 'ACTIVE' ORDER BY s.createdAt LIMIT 1`;

type Side = {
  name: string;
  url: string;
  body: string;
  /** The status a successful token response has on this side (ours: 201 by the contract; OAuth: 200). */
  status: number;
  /** Ours only: the AccessToken rows stored so far. */
  storedRows?: () => number;
  /** The server's process group, whose CPU time is counted per token. */
  pgid: number;
  stop: () => Promise<void>;
};

type Load = {
  rps: number;
  /** CPU time of the server (all its processes and threads) per successful response, in µs. */
  cpuUs: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  load1: number;
};

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function startOurs(workers: number): Promise<Side> {
  const app: BenchApp = await startBenchApp({ WEB_CONCURRENCY: String(workers) });
  const db = new Database(app.dbFile, { readonly: true, fileMustExist: true });
  const stop = async () => {
    db.close();
    await app.stop();
  };
  try {
    const statement = db.prepare(STATEMENT_SQL).get() as { jwt: string } | undefined;
    if (!statement) throw new Error("No active seeded statement for Acme TV for tvOS.");
    const registration = await fetch(`${app.baseUrl}/o/client/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ software_statement: statement.jwt }),
    });
    if (registration.status !== 201)
      throw new Error(`Registration failed: ${registration.status} ${await registration.text()}`);
    const { client_id, client_secret } = (await registration.json()) as Record<string, string>;
    const rows = db.prepare("SELECT COUNT(*) AS n FROM AccessToken");
    return {
      name: workers === 1 ? "ours, 1 process" : `ours, ${workers} workers`,
      url: `${app.baseUrl}/o/client/token`,
      body: form({ grant_type: "client_credentials", client_id: client_id!, client_secret: client_secret! }),
      status: 201,
      storedRows: () => (rows.get() as { n: number }).n,
      pgid: app.pgid,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Bare node:http and one RS256 signature per request (bench/token-limit.mjs): a token endpoint with no work but the signature. */
async function startLimit(): Promise<Side> {
  const port = await freePort();
  const server: ChildServer = spawnServer(process.execPath, ["bench/token-limit.mjs"], {
    ...process.env,
    LIMIT_PORT: String(port),
  });
  await waitUntil(async () => server.log().includes("ready"), server, "the bare limit");
  return {
    name: "limit (bare + sign)",
    url: `http://localhost:${port}/token`,
    body: form({ grant_type: "client_credentials", client_id: randomUUID() }),
    status: 201,
    pgid: server.child.pid!,
    stop: () => server.stop(),
  };
}

async function startPeer(): Promise<Side> {
  const port = await freePort();
  // The same shapes as ours: a UUID client id and 256 random bits of secret.
  const clientId = randomUUID();
  const clientSecret = randomBytes(32).toString("base64url");
  console.log(`Starting node-oidc-provider on http://localhost:${port}…`);
  const server: ChildServer = spawnServer(process.execPath, ["bench/token-peer.mjs"], {
    ...process.env,
    NODE_ENV: "production",
    PEER_PORT: String(port),
    PEER_CLIENT_ID: clientId,
    PEER_CLIENT_SECRET: clientSecret,
  });
  await waitUntil(async () => server.log().includes("ready"), server, "node-oidc-provider");
  return {
    name: "node-oidc-provider",
    url: `http://localhost:${port}/token`,
    body: form({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
    status: 200,
    pgid: server.child.pid!,
    stop: () => server.stop(),
  };
}

/** One request as a client makes it: the expected status and an RS256-signed JWT access token, or it throws. */
async function check(side: Side) {
  const response = await fetch(side.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: side.body,
  });
  const text = await response.text();
  if (response.status !== side.status) throw new Error(`${side.name}: ${response.status} ${text}`);
  const [header, payload, signature] = (
    (JSON.parse(text) as { access_token?: string }).access_token ?? ""
  ).split(".");
  const alg = (JSON.parse(Buffer.from(header ?? "", "base64url").toString("utf8")) as { alg?: string }).alg;
  if (alg !== "RS256" || !payload || !signature)
    throw new Error(`${side.name}: the access token is not an RS256 JWT (alg ${alg})`);
  console.log(`  ${side.name}: ${response.status}, an RS256 JWT access token`);
}

const load = (side: Side, duration: number) =>
  autocannon({
    url: side.url,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: side.body,
    connections: CONNECTIONS,
    duration,
  });

async function measure(side: Side): Promise<Load> {
  const rowsBefore = side.storedRows?.();
  const load1 = loadavg()[0]!;
  const cpuBefore = groupCpuMs(side.pgid);
  const result = await load(side, DURATION);
  const cpuMs = groupCpuMs(side.pgid) - cpuBefore;
  const ok = result.statusCodeStats?.[String(side.status) as "200"]?.count ?? 0;
  if (side.storedRows && rowsBefore !== undefined) {
    const added = (await settled(side.storedRows)) - rowsBefore;
    // Requests still in flight when autocannon stops are served (and stored) but not counted by it.
    if (added < ok || added - ok > CONNECTIONS) {
      console.error(`  ${side.name}: ${added} AccessToken rows stored for ${ok} 201s: MISMATCH`);
      process.exitCode = 1;
    }
  }
  const figures = {
    rps: result.requests.average,
    cpuUs: ok ? (cpuMs * 1000) / ok : 0,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    load1,
  };
  console.log(
    `  ${side.name.padEnd(20)} ${figures.rps.toFixed(0).padStart(6)} req/s  ${figures.cpuUs.toFixed(0).padStart(4)} µs CPU/token  p50 ${figures.p50} ms  p99 ${figures.p99} ms` +
      `  non-2xx ${figures.non2xx}  errors ${figures.errors}  load ${load1.toFixed(2)}`,
  );
  return figures;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

async function main() {
  console.log(
    `${availableParallelism()} cores; load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const sides: Side[] = [];
  try {
    sides.push(await startPeer());
    for (const workers of WORKERS) sides.push(await startOurs(workers));
    if (LIMIT) sides.push(await startLimit());
    console.log(`\nChecking and warming up each side (${WARMUP} s)…`);
    for (const side of sides) {
      await check(side);
      await load(side, WARMUP);
    }
    const results = new Map<Side, Load[]>(sides.map((side) => [side, []]));
    for (let round = 0; round < ROUNDS; round++) {
      console.log(`\nRound ${round + 1} of ${ROUNDS} (${DURATION} s each, ${CONNECTIONS} connections):`);
      for (let i = 0; i < sides.length; i++) {
        const side = sides[(i + round) % sides.length]!;
        results.get(side)!.push(await measure(side));
      }
    }
    const peer = mean(results.get(sides[0]!)!.map((r) => r.rps));
    console.log(`\nclient_credentials → RS256 JWT access token, mean of ${ROUNDS} alternating rounds:`);
    const summary: Record<string, unknown> = {
      bench: "token",
      rounds: ROUNDS,
      duration: DURATION,
      connections: CONNECTIONS,
    };
    for (const side of sides) {
      const loads = results.get(side)!;
      const rps = mean(loads.map((r) => r.rps));
      const cpuUs = mean(loads.map((r) => r.cpuUs));
      const ratio = side === sides[0] ? "" : `  ${(rps / peer).toFixed(2)}× the peer`;
      console.log(
        `  ${side.name.padEnd(20)} ${rps.toFixed(0).padStart(6)} req/s  ${cpuUs.toFixed(0).padStart(4)} µs CPU/token${ratio}`,
      );
      if (loads.some((r) => r.ok === 0 || r.non2xx > 0)) process.exitCode = 1;
      summary[side.name] = {
        rps: Math.round(rps),
        cpuUs: Math.round(cpuUs),
        p99: Math.max(...loads.map((r) => r.p99)),
        ...(side !== sides[0] && { ratio: Number((rps / peer).toFixed(2)) }),
      };
    }
    summary.load1 = Number(mean(sides.flatMap((s) => results.get(s)!.map((r) => r.load1))).toFixed(2));
    console.log(`\n${JSON.stringify(summary)}`);
  } finally {
    for (const side of sides) await side.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
