/**
 * `npm run test:load`: revocation under load. Starts the production app (throttle off, loopback only),
 * registers LOAD_CLIENTS clients on one fresh statement and gets each a token, then keeps LOAD_WORKERS
 * concurrent workers requesting tokens and calling `/api/v2/acme/configuration` with those tokens while an
 * admin revokes the statement through the admin API. Exits non-zero if any request sent after the
 * revocation's response was granted, or if any answer was neither a grant nor the documented refusal.
 *
 * Options (environment): LOAD_CLIENTS (200), LOAD_WORKERS (64), LOAD_BEFORE_S (5), LOAD_AFTER_S (5).
 * It builds nothing itself if the build is current (start.ts rebuilds a stale one: run `npx next build` first).
 */
import { availableParallelism, loadavg } from "node:os";
import { AdminSession } from "../harness/admin-session";
import { startBenchApp } from "../../bench/support";
import { printFigures, runRevocationLoad } from "./revocation-load";

const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 200);
const WORKERS = Number(process.env.LOAD_WORKERS ?? 64);
const BEFORE_S = Number(process.env.LOAD_BEFORE_S ?? 5);
const AFTER_S = Number(process.env.LOAD_AFTER_S ?? 5);
const PASSWORD = "load-test-password-not-secret";

async function main(): Promise<number> {
  const app = await startBenchApp({ SEED_PASSWORD: PASSWORD });
  try {
    const admin = await AdminSession.signIn(app.baseUrl, "admin@acme.test", PASSWORD);
    console.log(`Registering ${CLIENTS} clients, then ${WORKERS} workers for ${BEFORE_S} s + ${AFTER_S} s…`);
    const loadBefore = loadavg()[0]!;
    const report = await runRevocationLoad({
      baseUrl: app.baseUrl,
      admin,
      org: "acme",
      clients: CLIENTS,
      workers: WORKERS,
      beforeMs: BEFORE_S * 1000,
      beforeRequests: 0,
      afterMs: AFTER_S * 1000,
      afterRequests: 0,
      capMs: (BEFORE_S + AFTER_S) * 1000 + 120_000,
    });
    printFigures("Revocation under load (POST /o/client/token + GET /api/v2/acme/configuration)", [
      ["machine cores (availableParallelism)", availableParallelism()],
      ["load average before / after (1 min)", `${loadBefore.toFixed(2)} / ${loadavg()[0]!.toFixed(2)}`],
      ...report.figures,
    ]);
    for (const r of [...report.violations, ...report.unexpected].slice(0, 10))
      console.log(
        `  ! ${r.kind} sent at +${(r.sent - report.revokeReceived).toFixed(1)} ms: ${r.status} ${r.error}`,
      );
    const ok = report.violations.length === 0 && report.unexpected.length === 0;
    console.log(ok ? "\nOK: no grant after the revocation committed." : "\nFAILED.");
    return ok ? 0 : 1;
  } finally {
    await app.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
