/**
 * `npm run test:crash`: SIGKILL the app in the middle of a registration + token load, restart it on the same
 * data directory, and check that nothing acknowledged was lost and nothing was half-written (see
 * test/system/crash-check.ts). Exits non-zero on any problem.
 *
 * Options (environment): CRASH_WORKERS (64), CRASH_LOAD_S (3, after the first 20 registrations), CRASH_ROUNDS (1),
 * CRASH_DATABASE_URL (an empty PostgreSQL database to run on instead of SQLite; one round only, as it is not
 * emptied between rounds).
 */
import { availableParallelism, loadavg } from "node:os";
import { runCrashCheck } from "./crash-check";
import { printFigures } from "./revocation-load";

const WORKERS = Number(process.env.CRASH_WORKERS ?? 64);
const LOAD_S = Number(process.env.CRASH_LOAD_S ?? 3);
const DATABASE_URL = process.env.CRASH_DATABASE_URL || undefined;
const ROUNDS = DATABASE_URL ? 1 : Number(process.env.CRASH_ROUNDS ?? 1);

async function main(): Promise<number> {
  let failed = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    const loadBefore = loadavg()[0]!;
    const report = await runCrashCheck({
      workers: WORKERS,
      loadMs: LOAD_S * 1000,
      minRegistrations: 20,
      databaseUrl: DATABASE_URL,
      log: (line) => console.log(line),
    });
    printFigures(`Crash safety, round ${round}/${ROUNDS} (SIGKILL under register + token load, restart)`, [
      ["machine cores (availableParallelism)", availableParallelism()],
      ["load average before / after (1 min)", `${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}`],
      ...report.figures,
    ]);
    for (const problem of report.problems) console.log(`  ! ${problem}`);
    if (report.problems.length) failed++;
  }
  console.log(
    failed
      ? `\nFAILED in ${failed} of ${ROUNDS} rounds.`
      : "\nOK: every acknowledged write survived the kill.",
  );
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
