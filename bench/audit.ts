/**
 * `npm run bench:audit`: the audit trail at scale. Seeds BENCH_EVENTS (default 500,000) events of one
 * organization into a temporary, migrated SQLite database, with the real hash chain, then measures through
 * the same services the console uses: the first page, page 100 via the cursor, a full NDJSON export
 * (throughput and peak RSS, sampled) and verification of the whole chain.
 */
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { GENESIS_HASH, hashEvent, type HashedEvent } from "@/lib/audit/chain";
import type { OrgScope } from "@/lib/auth/scope";
import { sqliteDate } from "@/lib/sql/statement";

const EVENTS = Number(process.env.BENCH_EVENTS ?? 500_000);
const ACTIONS = ["statement.generated", "statement.downloaded", "client.registered", "application.created"];
const ACTORS = ["admin@acme.test", "viewer@acme.test", "rep@support.test", null];

const root = mkdtempSync(path.join(tmpdir(), "bench-audit-"));
const file = path.join(root, "bench.db");
process.env.DATABASE_URL = `file:${file}`;
process.env.DATA_DIR = root;

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const fmt = (n: number, digits = 1) => n.toLocaleString("en", { maximumFractionDigits: digits });

function migrate() {
  const run = spawnSync("node_modules/.bin/prisma", ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${file}` },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`prisma migrate deploy failed:\n${run.stdout}\n${run.stderr}`);
}

/** Prepared inserts in one transaction, each event hashed onto the one before, as record.ts would. */
function seed(organizationId: string): number {
  const raw = new Database(file);
  raw.pragma("journal_mode = WAL");
  raw.pragma("synchronous = OFF");
  const insert = raw.prepare(`INSERT INTO AuditEvent (id, chain, seq, createdAt, organizationId, actorUserId,
    actorEmail, actorRole, actingFor, action, targetType, targetId, before, after, requestId, ip, userAgent,
    prevHash, hash) VALUES (@id, @chain, @seq, @createdAt, @organizationId, @actorUserId, @actorEmail,
    @actorRole, @actingFor, @action, @targetType, @targetId, @before, @after, @requestId, @ip, @userAgent,
    @prevHash, @hash)`);
  const start = process.hrtime.bigint();
  const base = Date.now() - EVENTS * 1000;
  raw.transaction(() => {
    let prevHash = GENESIS_HASH;
    for (let i = 0; i < EVENTS; i++) {
      const action = ACTIONS[i % ACTIONS.length]!;
      const actorEmail = ACTORS[i % ACTORS.length]!;
      const event: HashedEvent = {
        id: randomUUID(),
        chain: `org:${organizationId}`,
        seq: i + 1,
        createdAt: new Date(base + i * 1000),
        organizationId,
        actorUserId: null,
        actorEmail,
        actorRole: actorEmail ? "ADMIN" : "SYSTEM",
        actingFor: actorEmail === "rep@support.test",
        action,
        targetType: action.split(".")[0]!,
        targetId: `target-${i % 5000}`,
        before: i % 10 === 0 ? JSON.stringify({ status: "active" }) : null,
        after: JSON.stringify({ i, status: "active", platform: "tvOS" }),
        requestId: `req-${i}`,
        ip: `203.0.113.${i % 250}`,
        userAgent: "bench/1.0",
        prevHash,
      };
      const hash = hashEvent(event);
      insert.run({
        ...event,
        createdAt: sqliteDate(event.createdAt),
        actingFor: event.actingFor ? 1 : 0,
        hash,
      });
      prevHash = hash;
    }
  })();
  const took = ms(start);
  raw.close();
  return took;
}

async function main() {
  migrate();
  const { db } = await import("@/lib/db");
  const { listAuditEvents, verifyOrganizationAudit } = await import("@/lib/audit/query");
  const { exportAuditEvents } = await import("@/lib/audit/export");
  const org = await db.organization.create({ data: { slug: "bench", name: "Bench" } });
  const scope: OrgScope = {
    caller: {
      user: { id: "bench", email: "bench@test", name: "Bench", role: "USER" },
      memberships: [{ ...org, role: "VIEWER" }],
      request: { requestId: null, ip: null, userAgent: null },
    },
    org: { id: org.id, slug: org.slug, name: org.name },
    role: "VIEWER",
    actingFor: false,
    canWrite: false,
  };

  const seedMs = seed(org.id);
  console.log(`Seeded ${fmt(EVENTS, 0)} events in ${fmt(seedMs / 1000, 2)} s`);

  let start = process.hrtime.bigint();
  let page = await listAuditEvents(scope, { limit: 50 });
  console.log(`First page (50 events):           ${fmt(ms(start), 2)} ms`);
  start = process.hrtime.bigint();
  let one = 0;
  for (let n = 2; n <= 100 && page.nextCursor; n++) {
    const t = process.hrtime.bigint();
    page = await listAuditEvents(scope, { limit: 50, cursor: page.nextCursor });
    if (n === 100) one = ms(t);
  }
  console.log(
    `Page 100 via cursor:               ${fmt(one, 2)} ms (pages 2–100 in ${fmt(ms(start), 0)} ms)`,
  );
  start = process.hrtime.bigint();
  const filtered = await listAuditEvents(scope, {
    action: "statement.*",
    actor: "admin@acme.test",
    limit: 50,
  });
  console.log(`Filtered first page (action+actor): ${fmt(ms(start), 2)} ms (${filtered.items.length} rows)`);

  global.gc?.();
  let peak = process.memoryUsage().rss;
  const baseline = peak;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  start = process.hrtime.bigint();
  const reader = exportAuditEvents(scope, { format: "ndjson" }).stream.getReader();
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const b of value) if (b === 10) lines++;
  }
  const exportMs = ms(start);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  console.log(
    `Export NDJSON: ${fmt(lines, 0)} events, ${fmt(bytes / 1e6)} MB in ${fmt(exportMs / 1000, 2)} s = ` +
      `${fmt(lines / (exportMs / 1000), 0)} events/s; peak RSS ${fmt(peak / 1e6, 0)} MB ` +
      `(${fmt(baseline / 1e6, 0)} MB before)`,
  );

  start = process.hrtime.bigint();
  const verdict = await verifyOrganizationAudit(scope);
  console.log(`Verify chain: ${JSON.stringify(verdict)} in ${fmt(ms(start) / 1000, 2)} s`);
  await db.$disconnect();
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(root, { recursive: true, force: true }));
