import { expect, it } from "vitest";
import { runCrashCheck } from "@/scripts/crash-check";

/**
 * The reduced, CI form of `npm run test:crash` (scripts/crash-check.ts): an app of its own on a temporary
 * data directory, SIGKILLed under a registration + token load and restarted on the same data. Every 201 the
 * clients received must be stored, registrations and their audit events must be all-or-nothing, the database
 * must pass integrity_check and the audit chain must verify.
 */
it("loses no acknowledged registration or token and half-writes nothing when SIGKILLed under load", async () => {
  const report = await runCrashCheck({ workers: 16, loadMs: 1_000, minRegistrations: 10 });
  const summary = Object.fromEntries(report.figures);
  expect(report.problems, JSON.stringify(summary)).toEqual([]);
  expect(summary["PRAGMA integrity_check"]).toBe("ok");
}, 300_000);
