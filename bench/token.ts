/**
 * `npm run bench:token`: the client-facing hot path against its peer, in one run on one machine with the same
 * load generator (autocannon, in-process), connections and duration, one side after the other:
 *   ours   — `POST /o/client/token` of the production build, started as `npm start` does (`tsx server/start.ts`,
 *            a throwaway DATA_DIR, throttle off), with a client registered through `POST /o/client/register`;
 *   theirs — node-oidc-provider (bench/token-peer.mjs, its own process): client_credentials, RS256 JWT
 *            access token for a default resource, 6 h, in-memory adapter, client_secret_post.
 * Each side is checked first (a 2xx with an RS256 JWT access token), then warmed up, then measured. It builds
 * nothing itself (start.ts rebuilds only when the build is older than the sources: run `npx next build` first).
 *
 * Options (environment): BENCH_DURATION seconds (default 15), BENCH_CONNECTIONS (default 32),
 * BENCH_WARMUP seconds (default 3).
 */
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { settled } from "./support";
import { freePort, healthy, spawnApp, spawnServer, waitUntil } from "../test/harness/child-server";
import Database from "better-sqlite3";

const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const STATEMENT_SQL = `SELECT s.jwt FROM SoftwareStatement s JOIN Application a ON a.id = s.applicationId
  WHERE a.name = 'Acme TV for tvOS' AND s.status = 'ACTIVE' ORDER BY s.createdAt LIMIT 1`;

type Side = {
  name: string;
  url: string;
  body: string;
  /** The status a successful token response has on this side (ours: 201 by the contract; OAuth: 200). */
  status: number;
};

type Measured = {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  loadBefore: number;
  loadAfter: number;
  note?: string;
};

function startApp(port: number, dataDir: string) {
  return spawnApp({
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "app.db")}`,
    SEED_PASSWORD: "bench-password-not-secret",
    NEXT_TELEMETRY_DISABLED: "1",
    DCR_THROTTLE: "off",
    TRUST_PROXY: "false",
  });
}

/** One request as a client makes it: the expected status and an RS256-signed JWT access token, or it throws. */
async function checkSide(side: Side): Promise<string> {
  const response = await fetch(side.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: side.body,
  });
  const text = await response.text();
  if (response.status !== side.status) throw new Error(`${side.name}: ${response.status} ${text}`);
  const token = (JSON.parse(text) as { access_token?: string }).access_token ?? "";
  const [header, payload, signature] = token.split(".");
  const decoded = JSON.parse(Buffer.from(header ?? "", "base64url").toString("utf8")) as { alg?: string };
  if (decoded.alg !== "RS256" || !payload || !signature) {
    throw new Error(`${side.name}: the access token is not an RS256 JWT (header ${JSON.stringify(decoded)})`);
  }
  return `${response.status}, JWT header ${JSON.stringify(decoded)}`;
}

function load(side: Side, duration: number): Promise<autocannon.Result> {
  return autocannon({
    url: side.url,
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: side.body,
    connections: CONNECTIONS,
    duration,
  });
}

/**
 * Check, warm up, measure. `storedRows` (ours only) counts the AccessToken rows, so that the 201s can be checked
 * against what the server really stored during the measured run.
 */
async function measure(side: Side, storedRows?: () => Promise<number>): Promise<Measured> {
  console.log(`  ${side.name}: ${await checkSide(side)}`);
  console.log(
    `  ${side.name}: warming up for ${WARMUP} s, then measuring for ${DURATION} s at ${CONNECTIONS} connections…`,
  );
  await load(side, WARMUP);
  const rowsBefore = await storedRows?.();
  const loadBefore = loadavg()[0]!;
  const result = await load(side, DURATION);
  const loadAfter = loadavg()[0]!;
  const ok = result.statusCodeStats?.[String(side.status) as "200"]?.count ?? 0;
  let note: string | undefined;
  if (storedRows && rowsBefore !== undefined) {
    const added = (await storedRows()) - rowsBefore;
    // Requests still in flight when autocannon stops are served (and stored) but not counted by it.
    const consistent = added >= ok && added - ok <= CONNECTIONS;
    note = `${added} AccessToken rows stored ${consistent ? "(matches the 201s)" : "(MISMATCH with the 201s)"}`;
    if (!consistent) process.exitCode = 1;
  }
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    loadBefore,
    loadAfter,
    note,
  };
}

async function measureOurs(): Promise<Measured> {
  const root = mkdtempSync(path.join(tmpdir(), "statement-console-bench-"));
  const dataDir = path.join(root, "server");
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  console.log(`\nOurs: starting the production app on ${baseUrl} (data in ${dataDir})…`);
  const server = startApp(port, dataDir);
  let db: Database.Database | undefined;
  try {
    await waitUntil(healthy(baseUrl), server);
    db = new Database(path.join(dataDir, "app.db"), { readonly: true, fileMustExist: true });
    const statement = db.prepare(STATEMENT_SQL).get() as { jwt: string } | undefined;
    if (!statement) throw new Error("No active seeded statement for Acme TV for tvOS.");
    const registration = await fetch(`${baseUrl}/o/client/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ software_statement: statement.jwt }),
    });
    if (registration.status !== 201)
      throw new Error(`Registration failed: ${registration.status} ${await registration.text()}`);
    const { client_id, client_secret } = (await registration.json()) as {
      client_id: string;
      client_secret: string;
    };
    const side: Side = {
      name: "ours",
      url: `${baseUrl}/o/client/token`,
      body: new URLSearchParams({ grant_type: "client_credentials", client_id, client_secret }).toString(),
      status: 201,
    };
    const rows = db.prepare("SELECT COUNT(*) AS n FROM AccessToken");
    return await measure(side, () => settled(() => (rows.get() as { n: number }).n));
  } finally {
    db?.close();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

async function measureTheirs(): Promise<Measured> {
  const port = await freePort();
  // The same shapes as ours: a UUID client id and 256 random bits of secret.
  const clientId = randomUUID();
  const clientSecret = randomBytes(32).toString("base64url");
  console.log(`\nTheirs: starting node-oidc-provider on http://localhost:${port}…`);
  const server = spawnServer(process.execPath, ["bench/token-peer.mjs"], {
    ...process.env,
    NODE_ENV: "production",
    PEER_PORT: String(port),
    PEER_CLIENT_ID: clientId,
    PEER_CLIENT_SECRET: clientSecret,
  });
  try {
    await waitUntil(async () => server.log().includes("ready"), server, "node-oidc-provider");
    return await measure({
      name: "theirs",
      url: `http://localhost:${port}/token`,
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: clientId,
        client_secret: clientSecret,
      }).toString(),
      status: 200,
    });
  } finally {
    await server.stop();
  }
}

function report(ours: Measured, theirs: Measured) {
  const ratio = ours.requestsPerSecond / theirs.requestsPerSecond;
  const rows: [string, (m: Measured) => string][] = [
    ["requests/s (mean)", (m) => m.requestsPerSecond.toFixed(1)],
    ["latency p50", (m) => `${m.p50} ms`],
    ["latency p99", (m) => `${m.p99} ms`],
    ["responses (total)", (m) => String(m.total)],
    ["successful (201 ours, 200 theirs)", (m) => String(m.ok)],
    ["non-2xx responses", (m) => String(m.non2xx)],
    ["connection errors / timeouts", (m) => `${m.errors} / ${m.timeouts}`],
    ["load average before / after", (m) => `${m.loadBefore.toFixed(2)} / ${m.loadAfter.toFixed(2)}`],
  ];
  const cell = (s: string, w: number) => s.padStart(w);
  console.log(
    `\nclient_credentials → RS256 JWT access token, ${DURATION} s per side after ${WARMUP} s of warm-up,`,
  );
  console.log(`${CONNECTIONS} connections, autocannon in-process; ${availableParallelism()} cores\n`);
  console.log(`  ${"".padEnd(36)}${cell("ours", 14)}${cell("oidc-provider", 16)}`);
  for (const [label, value] of rows)
    console.log(`  ${label.padEnd(36)}${cell(value(ours), 14)}${cell(value(theirs), 16)}`);
  console.log(`  ${"ours / theirs (requests/s)".padEnd(36)}${cell(ratio.toFixed(2), 14)}`);
  if (ours.note) console.log(`\n  ours: ${ours.note}`);
  const summary = {
    bench: "token",
    duration: DURATION,
    connections: CONNECTIONS,
    load1: Number(loadavg()[0]!.toFixed(2)),
    ours: { rps: Math.round(ours.requestsPerSecond), p50: ours.p50, p99: ours.p99, non2xx: ours.non2xx },
    theirs: {
      rps: Math.round(theirs.requestsPerSecond),
      p50: theirs.p50,
      p99: theirs.p99,
      non2xx: theirs.non2xx,
    },
    ratio: Number(ratio.toFixed(2)),
  };
  console.log(`\n${JSON.stringify(summary)}`);
  return ours.ok > 0 && theirs.ok > 0 ? 0 : 1;
}

async function main(): Promise<number> {
  console.log(
    `Load average at start (1/5/15 min): ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  // One after the other, never at once: each side gets the whole machine (whatever else runs on it).
  const ours = await measureOurs();
  const theirs = await measureTheirs();
  return report(ours, theirs);
}

main().then(
  (code) => process.exit(process.exitCode || code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
