/**
 * `npm run bench:register`: registrations per second on the embedded SQLite database (goal ≥ 1,000/s on
 * these 2-core machines). Starts the production app (throttle off), then drives `POST /o/client/register`
 * with one seeded statement — as millions of installed copies of one application would — with autocannon,
 * and checks that every 201 is a stored registration with its audit event on an unbroken chain.
 *
 * With BENCH_REVOKED=1 it presents a revoked statement instead — every installed copy of a leaked app knocking
 * after the revocation — and counts the refusals: each 400 must be a stored Refusal row (what support's Find
 * reads) with its client.registration_rejected audit event.
 *
 * Options (environment): BENCH_DURATION seconds (default 10), BENCH_CONNECTIONS (default 32),
 * BENCH_WARMUP seconds (default 2), WEB_CONCURRENCY (app workers, default 1), BENCH_REVOKED (default off).
 */
import { loadavg } from "node:os";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { printLoad, settled, startBenchApp } from "./support";

const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const REVOKED = process.env.BENCH_REVOKED === "1";

async function main(): Promise<number> {
  const app = await startBenchApp({ WEB_CONCURRENCY: process.env.WEB_CONCURRENCY ?? "1" });
  const db = new Database(app.dbFile, { readonly: true, fileMustExist: true });
  try {
    const statement = db
      .prepare(
        `SELECT s.jwt, s.organizationId FROM SoftwareStatement s JOIN Application a ON a.id = s.applicationId
         WHERE a.name = ? AND s.status = ? ORDER BY s.createdAt LIMIT 1`,
      )
      // The seed's revoked statement is Acme Play's (its leaked build).
      .get(...(REVOKED ? ["Acme Play for Android TV", "REVOKED"] : ["Acme TV for tvOS", "ACTIVE"])) as
      { jwt: string; organizationId: string } | undefined;
    if (!statement) throw new Error("No seeded statement of that status.");
    const registrations = () =>
      (
        db.prepare(`SELECT COUNT(*) AS n FROM ${REVOKED ? "Refusal" : "ClientRegistration"}`).get() as {
          n: number;
        }
      ).n;
    const events = () =>
      (
        db
          .prepare("SELECT COUNT(*) AS n FROM AuditEvent WHERE action = ?")
          .get(REVOKED ? "client.registration_rejected" : "client.registered") as { n: number }
      ).n;
    const load = (duration: number) =>
      autocannon({
        url: `${app.baseUrl}/o/client/register`,
        method: "POST",
        headers: { "content-type": "application/json", "x-device-info": deviceInfo() },
        body: JSON.stringify({ software_statement: statement.jwt }),
        connections: CONNECTIONS,
        duration,
      });

    console.log(`Warming up for ${WARMUP} s…`);
    await load(WARMUP);
    const [rowsBefore, eventsBefore] = [await settled(registrations), events()];
    console.log(`Measuring for ${DURATION} s at ${CONNECTIONS} connections…`);
    const loadBefore = loadavg()[0]!;
    const result = await load(DURATION);
    const rows = (await settled(registrations)) - rowsBefore;
    const audited = events() - eventsBefore;
    const created = result.statusCodeStats?.[REVOKED ? "400" : "201"]?.count ?? 0;
    // Requests still in flight when autocannon stops are served (and stored) but not counted by it.
    const consistent = rows >= created && rows - created <= CONNECTIONS && audited === rows;
    const chain = verifyChainLinks(db, `org:${statement.organizationId}`);

    const [answer, table, event] = REVOKED
      ? ["400", "Refusal", "client.registration_rejected"]
      : ["201", "ClientRegistration", "client.registered"];
    const what = REVOKED ? "a revoked statement" : "one statement";
    printLoad(`POST /o/client/register (${what}, many devices), throttle off`, result, loadBefore, [
      [`${answer} responses`, created],
      [
        `${table} rows added`,
        `${rows} ${consistent ? `(matches the ${answer}s)` : `(MISMATCH with the ${answer}s)`}`,
      ],
      [`${event} audit events added`, audited],
      ["audit chain links (seq, prevHash)", chain ? "contiguous" : "BROKEN"],
      ["workers (WEB_CONCURRENCY)", process.env.WEB_CONCURRENCY ?? "1"],
    ]);
    return consistent && chain && created > 0 ? 0 : 1;
  } finally {
    db.close();
    await app.stop();
  }
}

/** The chain's links: seq without gaps, each prevHash the hash before it (the hashes themselves are the app's to verify). */
function verifyChainLinks(db: Database.Database, chain: string): boolean {
  let prev: { seq: number; hash: string } | undefined;
  for (const row of db
    .prepare(`SELECT seq, hash, prevHash FROM AuditEvent WHERE chain = ? ORDER BY seq`)
    .iterate(chain) as Iterable<{ seq: number; hash: string; prevHash: string }>) {
    if (prev && (row.seq !== prev.seq + 1 || row.prevHash !== prev.hash)) return false;
    prev = row;
  }
  return true;
}

function deviceInfo(): string {
  return Buffer.from(
    JSON.stringify({ model: "Apple TV 4K", vendor: "Apple", os: "tvOS", osVersion: "18.1" }),
  ).toString("base64");
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
