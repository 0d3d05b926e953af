/**
 * `npm run bench:register`: dynamic client registration per second against its peer, in one alternating run
 * on one machine with the same load generator (autocannon, in-process), connections and duration (goal for
 * ours ≥ 1,000/s on these 2-core machines). The sides:
 *
 *   peer — node-oidc-provider (bench/register-peer.mjs, its own process): RFC 7591 open registration at
 *          `POST /reg` (no initial access token) of a client_credentials client with client_secret_post, its
 *          default in-memory adapter; each 201 has client_id and client_secret (and a registration access
 *          token). It verifies nothing and stores the client only in memory (an LRU of 1,000 entries);
 *   ours — `POST /o/client/register` of the production build, started as `npm start` does (throttle off), with
 *          one seeded statement (Acme TV for tvOS) — as millions of installed copies of one application would
 *          present it — and a device-info header naming a device of its own for each registration, as an app's
 *          launch registers many devices at once (BENCH_DEVICES=one: every registration from one device, which
 *          re-registers, the workload of the figures before 2026-12-08); each 201 verifies the signed statement
 *          and stores the client, its device facts and a client.registered audit event on one of the
 *          organization's client lanes (its audit chains for client events) first. On the database BENCH_DB names:
 *          · SQLite (default): one app per BENCH_WORKERS entry (`WEB_CONCURRENCY`; default "1,2", or
 *            WEB_CONCURRENCY when BENCH_WORKERS is unset: "ours, 1 process", "ours, 2 workers"), each on its own
 *            throwaway DATA_DIR and database file;
 *          · BENCH_DB=postgres: a throwaway PostgreSQL cluster with PostgreSQL's default durability (fsync and
 *            synchronous_commit on), one database, and app processes on it (one process each, each its own
 *            DATA_DIR and port, one AUTH_SECRET and PUBLIC_URL): "ours, N instances" for each BENCH_INSTANCES
 *            entry (default "1,2") loads N of them at the same time, the connections split evenly between them
 *            (parallel autocannon runs whose requests/s, 201s and CPU time add up). The cluster's CPU time per
 *            registration is printed apart ("+ N db").
 *
 * All servers are started first and stay up; each is checked (one registration) and warmed up, then
 * BENCH_ROUNDS rounds load each in turn (the order rotates every round), and it prints the means with each of
 * ours as a ratio to the peer, and one JSON line. After each load of ours (read through better-sqlite3 or pg:
 * support.ts's benchDb): the ClientRegistration rows added match its 201s, the client.registered audit events
 * added match the rows, and the links (seq, prevHash) of each of the organization's chains are contiguous. Any other
 * status, no 201 at all or a failed check fails the run (exit 1). Ctrl-C stops every server and the cluster.
 *
 * With BENCH_REVOKED=1 ours present a revoked statement instead (Acme Play's leaked build) — every installed
 * copy of a leaked app knocking after the revocation — and the peer is not started (it has nothing to
 * compare): each 400 must be a stored Refusal row (what support's Find reads) with its
 * client.registration_rejected audit event, on contiguous chains.
 *
 * Options (environment): BENCH_ROUNDS (3), BENCH_DURATION seconds per load (10), BENCH_CONNECTIONS (32, per
 * side: split between instances), BENCH_WARMUP seconds (2), BENCH_DB ("sqlite" or "postgres"), BENCH_WORKERS
 * (SQLite: "1,2"), BENCH_INSTANCES (PostgreSQL: "1,2"), BENCH_REVOKED (0), BENCH_DEVICES ("many" or "one").
 * BENCH_BASE=<directory>: also run ours from that checkout (the code before a change, `npm ci` and `npx next
 * build` done there), as the sides "before, …", on a database of its own, in the same alternating rounds.
 */
import { chainsOf } from "@/lib/audit/chain";
import { freePort, spawnServer, waitUntil } from "../test/harness/child-server";
import {
  benchDatabase,
  printMachine,
  runAlternating,
  seededStatement,
  settled,
  startOurs,
  tracked,
  verifyChainLinks,
  type Ours,
  type Side,
} from "./support";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const ONE_DEVICE = process.env.BENCH_DEVICES === "one";
const REVOKED = process.env.BENCH_REVOKED === "1";

const JSON_TYPE = { "content-type": "application/json" };
/** RFC 7591 metadata for what ours registers: a confidential client_credentials client, client_secret_post. */
const PEER_BODY = JSON.stringify({
  redirect_uris: [],
  grant_types: ["client_credentials"],
  response_types: [],
  token_endpoint_auth_method: "client_secret_post",
});

const [STATUS, TABLE, EVENT] = REVOKED
  ? ([400, "Refusal", "client.registration_rejected"] as const)
  : ([201, "ClientRegistration", "client.registered"] as const);

/** One request; throws unless it has `status` and (for a 201) a client_id and client_secret. */
async function checkRegistration(
  name: string,
  url: string,
  headers: Record<string, string>,
  body: string,
  status: number,
) {
  const response = await fetch(url, { method: "POST", headers, body });
  const text = await response.text();
  if (response.status !== status) throw new Error(`${name}: ${response.status} ${text}`);
  const answer = JSON.parse(text) as Record<string, unknown>;
  if (response.status === 400) return `400 ${String(answer.error)}`;
  if (typeof answer.client_id !== "string" || typeof answer.client_secret !== "string")
    throw new Error(`${name}: a 201 without client_id and client_secret: ${text}`);
  return "201 with client_id and client_secret";
}

async function oursSide(ours: Ours): Promise<Side> {
  const statement = await seededStatement(ours.db, REVOKED);
  const headers = { ...JSON_TYPE, "x-device-info": deviceInfo() };
  let device = 0;
  const eachRequest = ONE_DEVICE ? undefined : () => ({ "x-device-info": deviceInfo(++device) });
  const body = JSON.stringify({ software_statement: statement.jwt });
  const targets = ours.apps.map((app) => ({ url: `${app.baseUrl}/o/client/register`, pgid: app.pgid }));
  const chains = chainsOf(statement.organizationId);
  const rows = () => ours.db.count(`SELECT COUNT(*) AS "n" FROM "${TABLE}"`);
  const events = () => ours.db.count(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "action" = ?`, EVENT);
  const verified = new Map<string, { seq: number; hash: string }>();
  return {
    name: ours.name,
    targets,
    headers,
    ...(eachRequest && { eachRequest }),
    body,
    status: STATUS,
    dbCpuMs: ours.dbCpuMs,
    check: async () => {
      const answers = await Promise.all(
        targets.map((t) => checkRegistration(ours.name, t.url, headers, body, STATUS)),
      );
      return answers[0]! + (targets.length > 1 ? ` (from each of the ${targets.length} instances)` : "");
    },
    beforeLoad: async () => {
      const [rowsBefore, eventsBefore] = [await settled(rows), await events()];
      return async (ok) => {
        const added = (await settled(rows)) - rowsBefore;
        const audited = (await events()) - eventsBefore;
        // Requests still in flight when autocannon stops are served (and stored) but not counted by it.
        const matches = added >= ok && added - ok <= CONNECTIONS;
        let broken = false;
        for (const chain of chains) {
          const link = await verifyChainLinks(ours.db, chain, verified.get(chain));
          if (link === "broken") broken = true;
          else if (link) verified.set(chain, link);
        }
        const lines = [
          `${added} ${TABLE} rows added ${matches ? `(match the ${STATUS}s)` : `(MISMATCH with the ${ok} ${STATUS}s)`}` +
            `, ${audited} ${EVENT} audit events${audited === added ? "" : " (MISMATCH with the rows)"}` +
            `, chains ${broken ? "BROKEN" : "contiguous"}`,
        ];
        return { consistent: matches && audited === added && !broken, lines };
      };
    },
  };
}

async function startPeer(stops: (() => Promise<void>)[]): Promise<Side> {
  const port = await freePort();
  console.log(`Starting node-oidc-provider on http://localhost:${port}…`);
  const server = tracked(
    spawnServer(process.execPath, ["bench/register-peer.mjs"], {
      ...process.env,
      NODE_ENV: "production",
      PEER_PORT: String(port),
    }),
  );
  stops.push(server.stop);
  await waitUntil(async () => server.log().includes("ready"), server, "node-oidc-provider");
  const url = `http://localhost:${port}/reg`;
  return {
    name: "node-oidc-provider",
    peer: true,
    targets: [{ url, pgid: server.child.pid! }],
    headers: JSON_TYPE,
    body: PEER_BODY,
    status: 201,
    check: () => checkRegistration("node-oidc-provider", url, JSON_TYPE, PEER_BODY, 201),
  };
}

/** An Apple TV's X-Device-Info: the one device of every registration, or (with a number) a device of its own. */
function deviceInfo(serial?: number): string {
  const facts = { model: "Apple TV 4K", vendor: "Apple", os: "tvOS", osVersion: "18.1" };
  return Buffer.from(JSON.stringify(serial === undefined ? facts : { ...facts, serial })).toString("base64");
}

async function main() {
  const database = await benchDatabase();
  const stops: (() => Promise<void>)[] = [];
  try {
    printMachine(database);
    const sides: Side[] = REVOKED ? [] : [await startPeer(stops)];
    const ours = await startOurs(database, process.env.WEB_CONCURRENCY ?? "1,2");
    stops.push(ours.stop);
    for (const side of ours.sides) sides.push(await oursSide(side));
    console.log(
      REVOKED
        ? "\nNote: ours present a revoked statement; each 400 is a refusal ours stores (a Refusal row and an audit event) before answering. No peer."
        : "\nNote: ours verifies a signed software statement, and stores the client, its device facts and an audit event" +
            " (on the organization's hash chain) before its 201; the peer's open registration verifies nothing and" +
            " keeps clients in memory (its default adapter, an LRU of 1,000 entries).",
    );
    await runAlternating(sides, {
      bench: REVOKED ? "register-revoked" : "register",
      unit: REVOKED ? "refusal" : "registration",
      title: REVOKED
        ? "POST /o/client/register with a revoked statement → 400, stored as a Refusal"
        : "Dynamic client registration → 201 with client_id and client_secret",
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
