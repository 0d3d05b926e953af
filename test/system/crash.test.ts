import { randomBytes } from "node:crypto";
import { expect, inject, it } from "vitest";
import { runCrashCheck } from "@/test/system/crash-check";
import { adminQuery, databaseUrl, ident } from "@/test/harness/postgres";

/**
 * The reduced, CI form of `npm run test:crash` (test/system/crash-check.ts): an app of its own on a temporary
 * data directory (in the PostgreSQL pass, on an empty database of its own), SIGKILLed under a registration +
 * token load (and an admin generating statements) and restarted on the same data. Every 201 the clients and
 * the admin received must be stored, registrations and statements and their audit events all-or-nothing,
 * SQLite must pass integrity_check and the audit chain must verify.
 */
it("loses no acknowledged registration or token and half-writes nothing when SIGKILLed under load", async () => {
  const onPostgres = inject("testDb") === "postgres";
  let url: string | undefined;
  if (onPostgres) {
    // Named with the run's prefix, so the global teardown drops it.
    const name = `${inject("pgDbPrefix")}crash_${randomBytes(4).toString("hex")}`;
    await adminQuery(inject("pgAdminUrl"), `CREATE DATABASE ${ident(name)}`);
    url = databaseUrl(inject("pgAdminUrl"), name);
  }
  const report = await runCrashCheck({ workers: 16, loadMs: 1_000, minRegistrations: 10, databaseUrl: url });
  const summary = Object.fromEntries(report.figures);
  expect(report.problems, JSON.stringify(summary)).toEqual([]);
  if (!onPostgres) expect(summary["PRAGMA integrity_check"]).toBe("ok");
  // The admin's mutations were really in flight: some acknowledged before the kill.
  const [statementsAcknowledged] = String(
    summary["admin mutations (generate statement): acknowledged / stored"],
  ).split(" / ");
  expect(Number(statementsAcknowledged)).toBeGreaterThan(0);
  expect(summary["database"]).toBe(onPostgres ? "PostgreSQL" : "SQLite (WAL, synchronous=NORMAL)");
}, 300_000);
