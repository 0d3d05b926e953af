/**
 * Crash safety: the app under a registration + token load is SIGKILLed (its whole process group, as the OOM
 * killer or a power-cycled container would end it), restarted on the same data, and checked: SQLite passes
 * `PRAGMA integrity_check` (on PostgreSQL only the app dies, in the middle of its transactions); every 201 a
 * client received before the kill is stored (a registration by client_id, a token by its response `id` with
 * the JWT's `jti`); registrations and their `client.registered` audit events and counters are
 * all-or-nothing, and so are the statements an admin generates meanwhile (an admin API mutation, in Prisma's
 * withAudit transaction) and their `statement.generated` events; the audit chain verifies through the admin
 * API; and the restarted app serves the clients registered before the kill. Shared by `npm run test:crash`
 * and its reduced CI form (test/system/crash.test.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { decodeJwt } from "jose";
import { AdminSession } from "../harness/admin-session";
import { startBenchApp, type BenchApp } from "../../bench/support";
import { freePort } from "../harness/child-server";
import { postForm, postJson, sleep } from "./revocation-load";
import { openSql } from "../harness/sql";

export type CrashOptions = {
  workers: number;
  /** Kill this long after the load reached `minRegistrations` acknowledged registrations (plus up to 20% at random). */
  loadMs: number;
  minRegistrations: number;
  /** A PostgreSQL database (empty: the app migrates and seeds it) to run on instead of SQLite in the data directory. */
  databaseUrl?: string;
  log?: (line: string) => void;
};

export type CrashReport = {
  problems: string[];
  figures: [string, string | number][];
};

const PASSWORD = "crash-test-password-not-secret";
type Registered = { client_id: string; client_secret: string };
type Token = { id: string; jti: string; clientId: string };

export async function runCrashCheck(o: CrashOptions): Promise<CrashReport> {
  const log = o.log ?? (() => {});
  const root = mkdtempSync(path.join(tmpdir(), "statement-console-crash-"));
  const port = await freePort();
  // The same port and issuer after the restart, so the tokens and statements from before still verify.
  const env = {
    SEED_PASSWORD: PASSWORD,
    PUBLIC_URL: `http://localhost:${port}`,
    ...(o.databaseUrl && { DATABASE_URL: o.databaseUrl }),
  };
  let app: BenchApp | undefined;
  try {
    app = await startBenchApp(env, { root, port });
    const first = app;
    const admin = await AdminSession.signIn(first.baseUrl, "admin@acme.test", PASSWORD);
    const statement = await admin.newStatement("acme");
    const loadStarted = new Date();

    // ── The load, and the kill in its middle ──
    const registered: Registered[] = [];
    const tokens: Token[] = [];
    let attempts = 0;
    let cut = 0;
    let killed = false;
    /** One device: register, then two tokens. */
    const cycle = async () => {
      try {
        attempts++;
        const reg = await postJson(`${first.baseUrl}/o/client/register`, {
          software_statement: statement.software_statement,
        });
        if (reg.status !== 201) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
        const client = reg.body as Registered;
        registered.push(client);
        for (let t = 0; t < 2 && !killed; t++) {
          attempts++;
          const tok = await postForm(`${first.baseUrl}/o/client/token`, {
            grant_type: "client_credentials",
            client_id: client.client_id,
            client_secret: client.client_secret,
          });
          if (tok.status !== 201) throw new Error(`token: ${tok.status} ${JSON.stringify(tok.body)}`);
          tokens.push({
            id: String(tok.body.id),
            jti: String(decodeJwt(String(tok.body.access_token)).jti),
            clientId: client.client_id,
          });
        }
      } catch (error) {
        // A request the kill cut off has no answer, and that is fine; an error answer before the kill is not.
        if (!killed) throw error;
        cut++;
      }
    };
    const worker = async () => {
      while (!killed) await cycle();
    };
    // Beside the clients, an admin keeps generating statements: an admin mutation (Prisma's withAudit
    // transaction: the statement and its audit event) in flight when the kill comes.
    const generated: string[] = [];
    const adminWorker = async () => {
      while (!killed) {
        try {
          generated.push((await admin.newStatement("acme")).id);
        } catch (error) {
          if (!killed) throw error;
        }
      }
    };
    const killer = async () => {
      const started = performance.now();
      // Some of each kind of write acknowledged before the kill, however slow a loaded machine is to start.
      while (registered.length < o.minRegistrations || generated.length === 0) {
        if (performance.now() - started > 120_000) throw new Error("The load never got going.");
        await sleep(10);
      }
      await sleep(o.loadMs * (1 + Math.random() * 0.2));
      // The load generator shares the CPU, so between answers the server is often idle: send a burst it must
      // work through (and group-commit), then kill it a few milliseconds later, in the middle of that work.
      const burst = Array.from({ length: o.workers }, cycle);
      await sleep(Math.random() * 100);
      log(`SIGKILL to the app's process group (${registered.length} registrations acknowledged so far)`);
      killed = true;
      await first.kill();
      await Promise.all(burst);
    };
    await Promise.all([killer(), adminWorker(), adminWorker(), ...Array.from({ length: o.workers }, worker)]);
    const acknowledged = {
      registrations: registered.length,
      tokens: tokens.length,
      statements: generated.length,
    };

    // ── Restart on the same data ──
    const restartStarted = performance.now();
    app = await startBenchApp(env, { root, port });
    const restartMs = performance.now() - restartStarted;
    const problems: string[] = [];
    const sql = await openSql(o.databaseUrl ?? `file:${app.dbFile}`);
    const postgres = sql.dialect === "postgresql";
    let stored: { registrations: number; tokens: number; events: number; unacknowledged: number };
    let storedStatements = 0;
    // SQLite: the file after its writer was killed. PostgreSQL: the server was not killed, only the app's
    // connections in the middle of their transactions, which the server rolls back.
    let databaseCheck = "PostgreSQL server up, app reconnected";
    try {
      if (!postgres) {
        databaseCheck = (await sql.get<{ integrity_check: string }>("PRAGMA integrity_check"))!
          .integrity_check;
        if (databaseCheck !== "ok") problems.push(`integrity_check: ${databaseCheck}`);
      }

      const regs = new Map(
        (
          await sql.all<{ id: string; clientId: string; tokenCount: number }>(
            `SELECT r."id", r."clientId", (SELECT CAST(COALESCE(SUM(t."tokens"), 0) AS INTEGER) FROM "ClientTally" t
               WHERE t."registrationId" = r."id") AS "tokenCount" FROM "ClientRegistration" r WHERE r."statementId" = ?`,
            statement.id,
          )
        ).map((r) => [r.clientId, r]),
      );
      const storedTokens = await sql.all<Token>(
        `SELECT t."id", t."jti", r."clientId" AS "clientId" FROM "AccessToken" t
         JOIN "ClientRegistration" r ON r."id" = t."registrationId" WHERE r."statementId" = ?`,
        statement.id,
      );
      const tokensById = new Map(storedTokens.map((t) => [t.id, t]));
      const statementOf = postgres
        ? `("after"::jsonb ->> 'statementId')`
        : `json_extract("after", '$.statementId')`;
      const events = await sql.all<{ targetId: string }>(
        `SELECT "targetId" AS "targetId" FROM "AuditEvent" WHERE "action" = 'client.registered' AND ${statementOf} = ?`,
        statement.id,
      );
      const eventTargets = new Set(events.map((e) => e.targetId));
      const acknowledgedIds = new Set([...registered.map((c) => c.client_id), ...tokens.map((t) => t.id)]);
      stored = {
        registrations: regs.size,
        tokens: storedTokens.length,
        events: events.length,
        unacknowledged: [...regs.keys(), ...storedTokens.map((t) => t.id)].filter(
          (id) => !acknowledgedIds.has(id),
        ).length,
      };

      const lostRegs = registered.filter((c) => !regs.has(c.client_id));
      if (lostRegs.length)
        problems.push(
          `${lostRegs.length} acknowledged registrations are not stored (e.g. ${lostRegs[0]!.client_id})`,
        );
      const lostTokens = tokens.filter(
        (t) => tokensById.get(t.id)?.jti !== t.jti || tokensById.get(t.id)?.clientId !== t.clientId,
      );
      if (lostTokens.length)
        problems.push(
          `${lostTokens.length} acknowledged tokens are not stored as issued (e.g. ${lostTokens[0]!.id})`,
        );
      const orphanEvents = [...eventTargets].filter((id) => !regs.has(id));
      if (orphanEvents.length)
        problems.push(`${orphanEvents.length} client.registered events without their registration`);
      const unaudited = [...regs.keys()].filter((id) => !eventTargets.has(id));
      if (unaudited.length)
        problems.push(`${unaudited.length} registrations without their client.registered event`);
      if (events.length !== eventTargets.size)
        problems.push("a registration has more than one client.registered event");
      const counter = (await sql.get<{ n: number }>(
        `SELECT CAST(COALESCE(SUM("registrations"), 0) AS INTEGER) AS n FROM "StatementTally" WHERE "statementId" = ?`,
        statement.id,
      ))!.n;
      if (counter !== regs.size)
        problems.push(`the statement counts ${counter} registrations, ${regs.size} are stored`);
      // The admin's statements: each acknowledged one stored, each stored one with exactly one audit event.
      const statements = await sql.all<{ id: string; events: number }>(
        `SELECT s."id", (SELECT COUNT(*) FROM "AuditEvent" e
           WHERE e."action" = 'statement.generated' AND e."targetId" = s."id") AS "events"
         FROM "SoftwareStatement" s WHERE s."createdAt" >= ? AND s."id" <> ?`,
        loadStarted,
        statement.id,
      );
      const statementIds = new Set(statements.map((st) => st.id));
      storedStatements = statements.length;
      const lostStatements = generated.filter((id) => !statementIds.has(id));
      if (lostStatements.length)
        problems.push(
          `${lostStatements.length} acknowledged statements are not stored (e.g. ${lostStatements[0]})`,
        );
      const unevented = statements.filter((st) => Number(st.events) !== 1);
      if (unevented.length)
        problems.push(
          `${unevented.length} generated statements without exactly one statement.generated event`,
        );
      const eventsWithout = (await sql.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM "AuditEvent" e WHERE e."action" = 'statement.generated' AND e."createdAt" >= ?
           AND NOT EXISTS (SELECT 1 FROM "SoftwareStatement" s WHERE s."id" = e."targetId")`,
        loadStarted,
      ))!.n;
      if (Number(eventsWithout))
        problems.push(`${eventsWithout} statement.generated events without their statement`);

      const perClient = new Map<string, number>();
      for (const t of storedTokens) perClient.set(t.clientId, (perClient.get(t.clientId) ?? 0) + 1);
      const miscounted = [...regs.values()].filter((r) => r.tokenCount !== (perClient.get(r.clientId) ?? 0));
      if (miscounted.length)
        problems.push(`${miscounted.length} registrations whose tokenCount differs from their stored tokens`);
    } finally {
      await sql.close();
    }

    // ── The restarted app: chain verifies, clients from before the kill are served ──
    const after = await AdminSession.signIn(app.baseUrl, "admin@acme.test", PASSWORD);
    const verify = await after.verifyAudit("acme");
    if (!verify.ok) problems.push(`audit chain: ${JSON.stringify(verify)}`);
    const survivor = registered[registered.length - 1]!;
    const tok = await postForm(`${app.baseUrl}/o/client/token`, {
      grant_type: "client_credentials",
      client_id: survivor.client_id,
      client_secret: survivor.client_secret,
    });
    const api = await fetch(`${app.baseUrl}/api/v2/acme/configuration`, {
      headers: { authorization: `Bearer ${String(tok.body.access_token)}` },
    });
    if (tok.status !== 201 || api.status !== 200)
      problems.push(
        `a client registered before the kill is not served after the restart (token ${tok.status}, API ${api.status})`,
      );

    const figures: [string, string | number][] = [
      ["app processes (WEB_CONCURRENCY)", process.env.WEB_CONCURRENCY ?? "1"],
      ["concurrent workers (register, then 2 tokens each)", o.workers],
      ["requests sent / cut off by the kill (no answer)", `${attempts} / ${cut}`],
      [
        "201s received before the kill: registrations / tokens",
        `${acknowledged.registrations} / ${acknowledged.tokens}`,
      ],
      [
        "stored after restart: registrations / tokens / events",
        `${stored.registrations} / ${stored.tokens} / ${stored.events}`,
      ],
      ["stored but never acknowledged (answer cut by the kill)", stored.unacknowledged],
      [
        "admin mutations (generate statement): acknowledged / stored",
        `${acknowledged.statements} / ${storedStatements}`,
      ],
      ["database", postgres ? "PostgreSQL" : "SQLite (WAL, synchronous=NORMAL)"],
      [postgres ? "database check" : "PRAGMA integrity_check", databaseCheck],
      ["audit chain (acme) after restart", verify.ok ? `verifies (${verify.checked} events)` : "BROKEN"],
      ["restart to healthy", `${(restartMs / 1000).toFixed(1)} s`],
      ["problems", problems.length],
    ];
    return { problems, figures };
  } finally {
    await app?.stop();
    rmSync(root, { recursive: true, force: true });
  }
}
