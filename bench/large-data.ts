/**
 * The data directory the dashboard and start benchmarks run on: migrated and seeded as `npm start` does it,
 * then BENCH_REGISTRATIONS (default 1,000,000) client registrations and BENCH_TOKENS (default 5,000,000) access
 * tokens bulk-inserted on one statement of the demo organization (prepared statements, stored exactly as Prisma
 * stores them), with the activity rollups the client endpoints would have kept for them.
 *
 * Shape of the data: registrations spread evenly over the last 30 days; each has 2–8 tokens, issued over the
 * last 7 days (or since it registered): an active app refreshes every few hours, so a week of tokens is the
 * normal load of the Overview's "Tokens 7 days". No audit events are added for them. The activity rollups they
 * would have produced (an hour each, 30 days) are written beside them.
 *
 * Seeding 1M/5M takes ~2 minutes and ~3.3 GB. `BENCH_DATA=<directory>` keeps the data there and reuses it on
 * the next run when it holds the same counts (its `bench-data.json` says what was seeded, and when): the
 * registrations' times are then as old as that run, which the pages' timings do not depend on.
 */
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { platformOf } from "@/lib/dcr/device-info";
import { DEVICE_PROFILES } from "@/lib/dcr/device-profiles";
import { sqliteDate } from "@/lib/sql/statement";
import type { AdminSession } from "../test/harness/admin-session";

export const REGISTRATIONS = Number(process.env.BENCH_REGISTRATIONS ?? 1_000_000);
export const TOKENS = Number(process.env.BENCH_TOKENS ?? 5_000_000);
export const PASSWORD = "bench-password-not-secret";
export const ADMIN = "admin@acme.test";
const APPLICATION = "Acme TV for tvOS";
const DAY = 86_400_000;
const TOKEN_LIFETIME_S = 21600;

export const fmt = (n: number, digits = 1) => n.toLocaleString("en", { maximumFractionDigits: digits });
export const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
/** How Prisma stores a DateTime in SQLite (read from rows the seed wrote): ISO 8601 with "+00:00". */
const prismaTime = (t: number) => sqliteDate(new Date(t));

/** The environment `npm start` gets in the benchmarks: production, the data directory, a known password. */
export function serverEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "app.db")}`,
    SEED_PASSWORD: PASSWORD,
    NEXT_TELEMETRY_DISABLED: "1",
    TRUST_PROXY: "false",
  };
}

/** `prisma migrate deploy` and the normal seed, as server/prepare.ts runs them for `npm start`. */
export function migrateAndSeed(env: NodeJS.ProcessEnv) {
  const steps: [string, string[]][] = [
    ["node_modules/.bin/prisma", ["migrate", "deploy"]],
    [process.execPath, ["--conditions=react-server", "--import", "tsx", "prisma/seed.ts"]],
  ];
  for (const [command, args] of steps) {
    const run = spawnSync(command, args, { env, encoding: "utf8" });
    if (run.status !== 0)
      throw new Error(`${command} ${args.join(" ")} failed:\n${run.stdout}\n${run.stderr}`);
  }
}

/** A time-ordered id shaped like Prisma's cuid(): 25 characters, so the primary key grows at its end. */
function cuidLike(n: number): string {
  return `c${n.toString(36)}${randomUUID().replace(/-/g, "").slice(0, 14)}`.slice(0, 25);
}

/** A UUIDv7-style id (time-ordered, like a token id minted at that instant) for the same reason. */
function uuidV7Like(n: number): string {
  const hex = n.toString(16).padStart(12, "0") + randomUUID().replace(/-/g, "");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export type Target = { organizationId: string; statementId: string; applicationId: string };

/** The seeded statement the rows go to: an active one of Acme Media's tvOS application. */
function findTarget(file: string): Target & { platforms: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const target = db
      .prepare(
        `SELECT s.id AS statementId, s.organizationId, s.applicationId, a.platforms FROM SoftwareStatement s
        JOIN Application a ON a.id = s.applicationId WHERE a.name = ? AND s.status = 'ACTIVE'
        ORDER BY s.createdAt, s.id LIMIT 1`,
      )
      .get(APPLICATION) as (Target & { platforms: string }) | undefined;
    if (!target) throw new Error(`No active seeded statement for ${APPLICATION}.`);
    return { ...target, platforms: JSON.parse(target.platforms) as string[] };
  } finally {
    db.close();
  }
}

function bulkInsert(file: string, target: Target & { platforms: string[] }): void {
  const raw = new Database(file);
  // Bulk-load settings, for this throwaway file only; WAL is restored at the end, as the app uses it.
  raw.pragma("journal_mode = OFF");
  raw.pragma("synchronous = OFF");
  raw.pragma("cache_size = -1000000");
  raw.pragma("temp_store = MEMORY");
  const start = process.hrtime.bigint();
  const now = Date.now();
  const tables = ["ClientRegistration", "AccessToken"];
  // Secondary indexes are dropped and rebuilt with their own migration SQL: one sort each instead of
  // millions of random B-tree inserts.
  const indexes = raw
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${tables.map(() => "?").join(",")})`,
    )
    .all(...tables) as { name: string; sql: string }[];
  for (const { name } of indexes) raw.exec(`DROP INDEX "${name}"`);

  const profiles = DEVICE_PROFILES.filter(
    (p) => target.platforms.includes(platformOf(p.deviceInfo) ?? "") || p.id === "web",
  ).flatMap((p) =>
    ["WiFi", "Cellular"].map((connectionType) => {
      const deviceInfo: Record<string, string | number> = { ...p.deviceInfo, connectionType };
      return {
        deviceInfo: JSON.stringify(deviceInfo),
        platform: platformOf(deviceInfo),
        deviceModel: String(deviceInfo.model),
        userAgent: p.userAgent,
      };
    }),
  );
  const insertRegistration = raw.prepare(`INSERT INTO ClientRegistration (id, clientId, secretHash,
    organizationId, statementId, applicationId, deviceInfo, platform, deviceModel, redirectUri, ip, userAgent,
    simulated, tokenLifetimeOverride, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, 0, NULL, ?)`);
  // Each client's token tally as the token endpoint keeps it (lib/dcr/store): one shard, only once it has a token.
  const insertClientTally = raw.prepare(
    "INSERT INTO ClientTally (registrationId, shard, tokens, lastTokenAt) VALUES (?, 0, ?, ?)",
  );
  const insertToken = raw.prepare(`INSERT INTO AccessToken (id, jti, registrationId, organizationId, issuedAt,
    expiresAt) VALUES (?, ?, ?, ?, ?, ?)`);

  const span = 30 * DAY;
  const first = now - span;
  const weekAgo = now - 7 * DAY;
  const chunk = 50_000;
  let tokens = 0;
  let progressAt = Date.now();
  const perHour = new Map<number, { registrations: number; tokens: number }>();
  const countHour = (at: number, counter: "registrations" | "tokens") => {
    const hour = Math.floor(at / 3_600_000) * 3_600_000;
    const n = perHour.get(hour) ?? { registrations: 0, tokens: 0 };
    n[counter]++;
    perHour.set(hour, n);
  };
  for (let from = 0; from < REGISTRATIONS; from += chunk) {
    raw.transaction(() => {
      for (let j = from; j < Math.min(from + chunk, REGISTRATIONS); j++) {
        const createdAt = Math.floor(first + ((j + 0.5) * span) / REGISTRATIONS);
        const id = cuidLike(createdAt * 1000 + (j % 1000)); // distinct createdAt per row: the prefix is unique
        // 2–8 tokens each (5 on average); the last registration takes whatever the total still asks for.
        const count =
          j === REGISTRATIONS - 1
            ? Math.max(0, TOKENS - tokens)
            : Math.min(2 + (j % 7), Math.max(0, TOKENS - tokens));
        const windowStart = Math.max(createdAt, weekAgo);
        const issued = Array.from({ length: count }, (_, t) =>
          Math.floor(windowStart + ((t + 1) * (now - windowStart)) / (count + 1)),
        );
        const p = profiles[j % profiles.length]!;
        const last = issued[issued.length - 1];
        countHour(createdAt, "registrations");
        for (const issuedAt of issued) countHour(issuedAt, "tokens");
        insertRegistration.run(
          id,
          randomUUID(),
          randomBytes(32).toString("hex"),
          target.organizationId,
          target.statementId,
          target.applicationId,
          p.deviceInfo,
          p.platform,
          p.deviceModel,
          `203.0.113.${j % 250}`,
          p.userAgent,
          prismaTime(createdAt),
        );
        if (last !== undefined) insertClientTally.run(id, count, prismaTime(last));
        for (const issuedAt of issued) {
          const iat = Math.floor(issuedAt / 1000);
          insertToken.run(
            uuidV7Like(++tokens),
            randomUUID(),
            id,
            target.organizationId,
            prismaTime(issuedAt),
            prismaTime((iat + TOKEN_LIFETIME_S) * 1000),
          );
        }
      }
    })();
    if (Date.now() - progressAt > 10_000 || from + chunk >= REGISTRATIONS) {
      progressAt = Date.now();
      const done = Math.min(from + chunk, REGISTRATIONS);
      console.log(
        `  ${fmt(done, 0)} registrations, ${fmt(tokens, 0)} tokens (${fmt(ms(start) / 1000, 0)} s)`,
      );
    }
  }
  for (const { name, sql } of indexes) {
    const t = process.hrtime.bigint();
    raw.exec(sql);
    console.log(`  index ${name} rebuilt in ${fmt(ms(t) / 1000, 1)} s`);
  }
  // The statement's registration tally, on top of what the seed's own registrations counted.
  raw
    .prepare(
      `INSERT INTO StatementTally (statementId, shard, registrations) VALUES (?, 0, ?)
       ON CONFLICT (statementId, shard) DO UPDATE SET registrations = registrations + excluded.registrations`,
    )
    .run(target.statementId, REGISTRATIONS);
  // The activity rollups the client endpoints would have kept for these rows (one per statement-hour, 30 days
  // of them), added to what the seed's own requests already counted: every bulk registration from a device of
  // its own, every token in the hour it was issued.
  const addRollup = raw.prepare(`INSERT INTO ActivityRollup (statementId, bucket, shard, organizationId,
    applicationId, registrations, newDevices, tokens) VALUES (?, ?, 0, ?, ?, ?, ?, ?)
    ON CONFLICT (statementId, bucket, shard) DO UPDATE SET registrations = registrations + excluded.registrations,
    newDevices = newDevices + excluded.newDevices, tokens = tokens + excluded.tokens`);
  raw.transaction(() => {
    for (const [hour, n] of perHour) {
      const { organizationId, applicationId, statementId } = target;
      addRollup.run(
        statementId,
        prismaTime(hour),
        organizationId,
        applicationId,
        n.registrations,
        n.registrations,
        n.tokens,
      );
    }
  })();
  console.log(`  ${fmt(perHour.size, 0)} hours of activity rollups written`);
  raw.pragma("journal_mode = WAL");
  raw.close();
}

export type LargeData = Target & {
  /** The directory the data directory is in (removed by `remove` unless it was BENCH_DATA). */
  root: string;
  /** What `npm start` gets as DATA_DIR. */
  dataDir: string;
  file: string;
  /** Seconds spent seeding in this run (0 when reused). */
  seedSeconds: number;
  reused: boolean;
  /** The database and its log, in bytes. */
  bytes: () => number;
  /** Removes the data unless it is to be kept (BENCH_DATA, or BENCH_KEEP=1). */
  remove: () => void;
};

type Marker = Target & { registrations: number; tokens: number; seededAt: string };

/**
 * A data directory with the large data set in it: reused from BENCH_DATA when it holds the same counts,
 * otherwise migrated, seeded and bulk-filled (in BENCH_DATA, or in a new temporary directory).
 */
export function largeData(): LargeData {
  const kept = process.env.BENCH_DATA;
  const root = kept ? path.resolve(kept) : mkdtempSync(path.join(tmpdir(), "bench-large-"));
  const dataDir = path.join(root, "server");
  const file = path.join(dataDir, "app.db");
  const markerFile = path.join(root, "bench-data.json");
  const bytes = () =>
    ["", "-wal"].reduce((sum, s) => sum + (existsSync(file + s) ? statSync(file + s).size : 0), 0);
  const remove = () => {
    if (kept) console.log(`Data kept in ${root} (BENCH_DATA)`);
    else if (process.env.BENCH_KEEP === "1") console.log(`Kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  };
  const where = { root, dataDir, file, bytes, remove };
  if (existsSync(markerFile)) {
    const marker = JSON.parse(readFileSync(markerFile, "utf8")) as Marker;
    if (marker.registrations === REGISTRATIONS && marker.tokens === TOKENS && existsSync(file)) {
      console.log(
        `Reusing ${fmt(REGISTRATIONS, 0)} registrations and ${fmt(TOKENS, 0)} tokens seeded ${marker.seededAt} in ${dataDir}`,
      );
      const { organizationId, statementId, applicationId } = marker;
      return { organizationId, statementId, applicationId, ...where, seedSeconds: 0, reused: true };
    }
    console.log(`${root} holds other counts: seeding it again.`);
  }
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(markerFile, { force: true });
  mkdirSync(dataDir, { recursive: true });
  const start = process.hrtime.bigint();
  let target: ReturnType<typeof findTarget>;
  try {
    console.log(`Migrating and seeding the demo data in ${dataDir}…`);
    migrateAndSeed(serverEnv(3000, dataDir)); // nothing listens: the seed runs the services alone
    target = findTarget(file);
    console.log(
      `Bulk-inserting ${fmt(REGISTRATIONS, 0)} registrations and ${fmt(TOKENS, 0)} tokens on statement ${target.statementId}…`,
    );
    bulkInsert(file, target);
  } catch (error) {
    if (!kept) rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const seedSeconds = ms(start) / 1000;
  const { organizationId, statementId, applicationId } = target;
  const marker: Marker = {
    organizationId,
    statementId,
    applicationId,
    registrations: REGISTRATIONS,
    tokens: TOKENS,
    seededAt: new Date().toISOString(),
  };
  writeFileSync(markerFile, JSON.stringify(marker, null, 2));
  console.log(`Seeded in ${fmt(seedSeconds, 1)} s; database ${fmt(bytes() / 1e9, 2)} GB`);
  return { organizationId, statementId, applicationId, ...where, seedSeconds, reused: false };
}

/** The page's whole HTML (what a browser waits for) in a signed-in session, or it throws. */
export async function pageHtml(session: AdminSession, path: string): Promise<string> {
  const response = await session.fetch(path);
  const html = await response.text();
  if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
  return html;
}
