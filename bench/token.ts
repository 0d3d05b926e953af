/**
 * `npm run bench:token`: the client-facing token endpoint against its peer, in one alternating run on one
 * machine with the same load generator (autocannon, in-process), connections and duration. The sides:
 *
 *   peer  — node-oidc-provider (bench/token-peer.mjs, its own process): client_credentials for one confidential
 *           client (client_secret_post), an RS256 JWT access token for a default resource, 6 h, its in-memory
 *           adapter (it stores nothing a token needs checking later);
 *   ours  — `POST /o/client/token` of the production build, started as `npm start` does (throttle off) with a
 *           client registered through `POST /o/client/register`, on the database BENCH_DB names:
 *           · SQLite (default): one app per BENCH_WORKERS entry (`WEB_CONCURRENCY`; default "1,2": "ours,
 *             1 process" and "ours, 2 workers"), each on its own throwaway DATA_DIR and database file;
 *           · BENCH_DB=postgres: a throwaway PostgreSQL cluster with PostgreSQL's default durability (fsync and
 *             synchronous_commit on), one database, and app processes on it (one process each, each its own
 *             DATA_DIR and port, one AUTH_SECRET and PUBLIC_URL): "ours, N instances" for each BENCH_INSTANCES
 *             entry (default "1,2") loads N of them at the same time, the connections split evenly between
 *             them (parallel autocannon runs whose requests/s, 201s and CPU time add up). The cluster's CPU
 *             time per token is printed apart ("+ N db");
 *   limit — bare node:http and one RS256 signature per request (bench/token-limit.mjs), unless BENCH_LIMIT=0:
 *           no client lookup, no storage, no framework.
 *
 * All servers are started first and stay up; each is checked (the expected status with an RS256 JWT access
 * token) and warmed up, then BENCH_ROUNDS rounds load each in turn (the order rotates every round), so that
 * slow drift of the machine falls on every side alike. Per load: requests/s, the servers' CPU time per token
 * (every process and thread, from /proc), p50/p99 (the worst of the instances), the answers with another
 * status; then the means with each side's ratio to the peer, and one JSON line. Ours must store every token
 * it answers with: the AccessToken rows added during each measured load are counted against its 201s (read
 * through better-sqlite3 or pg: support.ts's benchDb). Any other status, no 201 at all or a mismatch fails the
 * run (exit 1). It builds nothing itself (start.ts rebuilds only when the build is older than the sources: run
 * `npx next build` first). Ctrl-C stops every server and the cluster.
 *
 * Options (environment): BENCH_ROUNDS (3), BENCH_DURATION seconds per load (8), BENCH_CONNECTIONS (32, per
 * side: split between instances), BENCH_WARMUP seconds (3), BENCH_DB ("sqlite" or "postgres"), BENCH_WORKERS
 * (SQLite: "1,2"), BENCH_INSTANCES (PostgreSQL: "1,2"), BENCH_LIMIT (1: also load bench/token-limit.mjs; 0: not).
 * BENCH_BASE=<directory>: also run ours from that checkout (the code before a change, `npm ci` and `npx next
 * build` done there), as the sides "before, …", on a database of its own, in the same alternating rounds.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { freePort, spawnServer, waitUntil } from "../test/harness/child-server";
import {
  benchDatabase,
  printMachine,
  registerSeededClient,
  runAlternating,
  settled,
  startOurs,
  tracked,
  type Ours,
  type Side,
} from "./support";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const LIMIT = process.env.BENCH_LIMIT !== "0";

const FORM = { "content-type": "application/x-www-form-urlencoded" };
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** One request as a client makes it: the expected status and an RS256-signed JWT access token, or it throws. */
async function checkToken(name: string, url: string, body: string, status: number): Promise<string> {
  const response = await fetch(url, { method: "POST", headers: FORM, body });
  const text = await response.text();
  if (response.status !== status) throw new Error(`${name}: ${response.status} ${text}`);
  const [header, payload, signature] = (
    (JSON.parse(text) as { access_token?: string }).access_token ?? ""
  ).split(".");
  const alg = (JSON.parse(Buffer.from(header ?? "", "base64url").toString("utf8")) as { alg?: string }).alg;
  if (alg !== "RS256" || !payload || !signature)
    throw new Error(`${name}: the access token is not an RS256 JWT (alg ${alg})`);
  return `${response.status}, an RS256 JWT access token`;
}

/** A side of ours: a client registered on its database, its token requests, its AccessToken rows checked. */
async function oursSide(ours: Ours): Promise<Side> {
  const { clientId, clientSecret } = await registerSeededClient(ours.apps[0]!.baseUrl, ours.db);
  const body = form({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret });
  const targets = ours.apps.map((app) => ({ url: `${app.baseUrl}/o/client/token`, pgid: app.pgid }));
  const rows = () => ours.db.count(`SELECT COUNT(*) AS "n" FROM "AccessToken"`);
  return {
    name: ours.name,
    targets,
    headers: FORM,
    body,
    status: 201,
    dbCpuMs: ours.dbCpuMs,
    // Every instance answers for the client: it is in their one database.
    check: async () =>
      (await Promise.all(targets.map((t) => checkToken(ours.name, t.url, body, 201))))[0]! +
      (targets.length > 1 ? ` (from each of the ${targets.length} instances)` : ""),
    beforeLoad: async () => {
      const before = await rows();
      return async (ok) => {
        const added = (await settled(rows)) - before;
        // Requests still in flight when autocannon stops are served (and stored) but not counted by it.
        const consistent = added >= ok && added - ok <= CONNECTIONS;
        return {
          consistent,
          lines: consistent ? [] : [`${added} AccessToken rows stored for ${ok} 201s: MISMATCH`],
        };
      };
    },
  };
}

/** Bare node:http and one RS256 signature per request (bench/token-limit.mjs): a token endpoint with no work but the signature. */
async function startLimit(stops: (() => Promise<void>)[]): Promise<Side> {
  const port = await freePort();
  const server = tracked(
    spawnServer(process.execPath, ["bench/token-limit.mjs"], { ...process.env, LIMIT_PORT: String(port) }),
  );
  stops.push(server.stop);
  await waitUntil(async () => server.log().includes("ready"), server, "the bare limit");
  const url = `http://localhost:${port}/token`;
  const body = form({ grant_type: "client_credentials", client_id: randomUUID() });
  return {
    name: "limit (bare + sign)",
    targets: [{ url, pgid: server.child.pid! }],
    headers: FORM,
    body,
    status: 201,
    check: () => checkToken("limit (bare + sign)", url, body, 201),
  };
}

async function startPeer(stops: (() => Promise<void>)[]): Promise<Side> {
  const port = await freePort();
  // The same shapes as ours: a UUID client id and 256 random bits of secret.
  const clientId = randomUUID();
  const clientSecret = randomBytes(32).toString("base64url");
  console.log(`Starting node-oidc-provider on http://localhost:${port}…`);
  const server = tracked(
    spawnServer(process.execPath, ["bench/token-peer.mjs"], {
      ...process.env,
      NODE_ENV: "production",
      PEER_PORT: String(port),
      PEER_CLIENT_ID: clientId,
      PEER_CLIENT_SECRET: clientSecret,
    }),
  );
  stops.push(server.stop);
  await waitUntil(async () => server.log().includes("ready"), server, "node-oidc-provider");
  const url = `http://localhost:${port}/token`;
  const body = form({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret });
  return {
    name: "node-oidc-provider",
    peer: true,
    targets: [{ url, pgid: server.child.pid! }],
    headers: FORM,
    body,
    status: 200,
    check: () => checkToken("node-oidc-provider", url, body, 200),
  };
}

async function main() {
  const database = await benchDatabase();
  const stops: (() => Promise<void>)[] = [];
  try {
    printMachine(database);
    const sides: Side[] = [await startPeer(stops)];
    const ours = await startOurs(database);
    stops.push(ours.stop);
    for (const side of ours.sides) sides.push(await oursSide(side));
    if (LIMIT) sides.push(await startLimit(stops));
    await runAlternating(sides, {
      bench: "token",
      unit: "token",
      title: "client_credentials → RS256 JWT access token",
      db: database.kind,
      rounds: ROUNDS,
      duration: DURATION,
      connections: CONNECTIONS,
      warmup: WARMUP,
    });
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(error));
    database.stop();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
