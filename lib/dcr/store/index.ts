import { appendAuditEvents } from "@/lib/audit/append";
import { CLIENT_LANES } from "@/lib/audit/chain";
import { env } from "@/lib/env";
import { openSqlExecutor } from "@/lib/sql/open";
import { randomInt } from "node:crypto";
import { all, run, type Program, type SqlExecutor, type Statement } from "@/lib/sql/statement";
import { Tally, type Attribution } from "./activity";
import * as q from "./queries";
import {
  retryAfterSeconds,
  THROTTLE_IDLE_MS,
  type Audited,
  type DcrStore,
  type NewRefusal,
  type NewRegistration,
  type NewToken,
  type Counted,
} from "./types";

export type * from "./types";

const globalForStore = globalThis as unknown as { dcrStore?: DcrStore };

/** The hot path's store for this process, on the database DATABASE_URL names. */
export function dcrStore(): DcrStore {
  globalForStore.dcrStore ??= openDcrStore(env.DATABASE_URL);
  return globalForStore.dcrStore;
}

/** A store with its own connection(s) to the database `url` names (tests open several: several instances). */
export function openDcrStore(url: string): DcrStore {
  return storeOn(openSqlExecutor(url));
}

/**
 * Shards of each row that concurrent transactions add to on PostgreSQL: rollups per statement-hour, tallies per
 * statement and per client (see ActivityRollup and StatementTally in prisma/schema.prisma).
 */
const COUNT_SHARDS = 8;

/** Batches of one kind committing at once per process on PostgreSQL, and the most writes in one batch. */
const IN_FLIGHT = 2;
const MAX_BATCH = 256;

/**
 * Under load, the least time between the starts of two commits of a kind (“paced” below). A commit costs
 * far more than a row (on SQLite the pages it writes to the write-ahead log, the last page of each B-tree it grew;
 * on PostgreSQL its round trips, each paid by both processes' network stacks), whatever its size, and tokens come
 * back from their signers a few at a time: paced, the writes of these milliseconds share one commit (SQLite
 * tokens: ~6 a commit before, ~13 after). A write after a quiet moment commits at once. Measured in
 * docs/performance.md: less CPU per token on both databases (6 ms on PostgreSQL less again than 3), per
 * registration on PostgreSQL; SQLite's registrations, whose work is all on the event loop and already fill a
 * turn's batch, were no faster paced and are not.
 */
const COMMIT_PACE_MS: Record<SqlExecutor["dialect"], number> = { sqlite: 3, postgresql: 6 };

/** How often, in throttle calls, rows idle past THROTTLE_IDLE_MS are deleted. */
const PRUNE_EVERY = 10_000;

/**
 * Refusals past the retention are deleted every REFUSAL_PRUNE_EVERY refusals, or on the first one an hour after
 * the last pruning, at most REFUSAL_PRUNE_LIMIT rows at a time: more than can arrive in between, so the table
 * stays bounded at any rate. Readers filter by the retention too, so a row waiting for pruning is never shown.
 */
const REFUSAL_PRUNE_EVERY = 1_000;
const REFUSAL_PRUNE_LIMIT = 5_000;
const REFUSAL_PRUNE_MS = 60 * 60_000;

/** Refusals recorded before this are past REFUSAL_RETENTION_DAYS: pruned here, never shown by Find. */
export const refusalCutoff = (now = Date.now()) => new Date(now - env.REFUSAL_RETENTION_DAYS * 86_400_000);

// What a batch of writes does, in its one transaction. Rows no other transaction touches are written first (new
// registrations, tokens, refusals); then the shared rows, each kind in one global order — device sightings by
// statement and device, the counts (./activity.ts: rollups, statement tallies, client tallies, each by key), and
// the audit chains last, by name (lib/audit/append.ts) — so that concurrent batches, on any instance, may queue
// on a row but never deadlock. The chain lock is held from the last steps to the commit, on the client lane the
// batch picked (lib/audit/chain.ts), so two batches of one organization seldom wait for it.
type Registering = { registration: NewRegistration; audited: Audited; deviceHash: string };
function* registering(batch: Registering[], tally: Tally, lane: number): Program<void> {
  yield* run(q.insertRegistrations, { rows: batch.map(({ registration }) => registration) });
  // Each device once, with the batch's count of it, in (statement, device) order.
  const devices = new Map<
    string,
    { statementId: string; deviceHash: string; registrations: number; at: Date }
  >();
  for (const { registration, deviceHash } of batch) {
    const key = `${registration.statementId} ${deviceHash}`;
    const device = devices.get(key);
    if (device) {
      device.registrations++;
      if (registration.createdAt > device.at) device.at = registration.createdAt;
    } else {
      const { statementId, createdAt: at } = registration;
      devices.set(key, { statementId, deviceHash, registrations: 1, at });
    }
  }
  const sighted = yield* all(q.sightDevices, {
    rows: [...devices.keys()].sort().map((key) => {
      const { statementId, deviceHash, registrations, at } = devices.get(key)!;
      return { statementId, deviceHash, registrations, firstSeenAt: at, lastSeenAt: at };
    }),
  });
  // A device is new when its count is the batch's own: the first of its registrations here was its first ever.
  const fresh = new Set(
    sighted
      .filter(
        (d) => Number(d.registrations) === devices.get(`${d.statementId} ${d.deviceHash}`)?.registrations,
      )
      .map((d) => `${d.statementId} ${d.deviceHash}`),
  );
  for (const { registration, deviceHash } of batch) {
    const at = registration.createdAt;
    tally.add(registration, at, "registrations");
    if (fresh.delete(`${registration.statementId} ${deviceHash}`)) tally.add(registration, at, "newDevices");
  }
  yield* tally.write();
  yield* appendAuditEvents(
    batch.map(({ audited }) => audited),
    { lane },
  );
}
/** The batch's token rows in one statement; each client's tally and each statement's rollup once per batch. */
type Issuing = { token: NewToken; who: Attribution };
function* issuing(batch: Issuing[], tally: Tally): Program<void> {
  yield* run(q.insertTokens, { rows: batch.map(({ token }) => token) });
  for (const { token, who } of batch) {
    tally.add(who, token.issuedAt, "tokens");
    tally.addToken(token.registrationId, token.issuedAt);
  }
  yield* tally.write();
}
/** Refusals (their row, and their audit event when they have one) and statement fetches (a count only). */
type Counting = { refusal?: NewRefusal; audited?: Audited; counted?: Counted; at: Date };
function* counting(batch: Counting[], tally: Tally, lane: number): Program<void> {
  const refusals = batch.flatMap(({ refusal }) => (refusal ? [refusal] : []));
  if (refusals.length > 0) yield* run(q.insertRefusals, { rows: refusals });
  for (const { counted, at } of batch) if (counted) tally.add(counted.who, at, counted.counter);
  yield* tally.write();
  yield* appendAuditEvents(
    batch.flatMap(({ audited }) => (audited ? [audited] : [])),
    { lane },
  );
}

/**
 * The store on an executor of its own (openDcrStore's; a test may watch its transactions, and set a pace no
 * loaded machine can overrun).
 */
export function storeOn(db: SqlExecutor, { paceMs = COMMIT_PACE_MS[db.dialect] } = {}): DcrStore {
  const onPostgres = db.dialect === "postgresql";
  const register = groupCommit(db, registering, onPostgres ? paceMs : 0);
  const issue = groupCommit(db, issuing, paceMs);
  const count = groupCommit(db, counting, onPostgres ? paceMs : 0);
  const statements = remembered(
    db,
    batchedReads(db, q.statementsByFingerprint, (row) => String(row.fingerprint), q.toKnownStatement),
  );
  const clients = remembered(
    db,
    batchedReads(db, q.clients, (row) => String(row.clientId), q.toKnownClient),
  );
  let throttleCalls = 0;
  let refusals = 0;
  let prunedAt = 0;
  const pruneRefusals = async (now: number) => {
    if (++refusals % REFUSAL_PRUNE_EVERY !== 0 && now - prunedAt < REFUSAL_PRUNE_MS) return;
    prunedAt = now;
    await db.run(q.pruneRefusals, { before: refusalCutoff(now), limit: REFUSAL_PRUNE_LIMIT });
  };

  return {
    statementByFingerprint: statements,
    insertRegistration: (registration, audited, deviceHash) =>
      register({ registration, audited, deviceHash }),
    async refuse(refusal, audited, counted) {
      await count({ refusal, audited, counted, at: refusal.at });
      await pruneRefusals(refusal.at.getTime());
    },
    count: (who, counter) => count({ counted: { who, counter }, at: new Date() }),
    async currentStatement(applicationId) {
      const row = await db.get(q.currentStatement, { applicationId, now: new Date() });
      return row ? q.toServedStatement(row) : null;
    },
    client: clients,
    insertToken: (token, who) => issue({ token, who }),
    async takeThrottle(key, rate, burst, now) {
      if (++throttleCalls % PRUNE_EVERY === 0)
        await db.run(q.pruneThrottle, { before: now - THROTTLE_IDLE_MS });
      const row = (await db.get(q.takeThrottle, { key, rate, burst, now }))!;
      return row.allowed ? 0 : retryAfterSeconds(Number(row.tokens), rate);
    },
    close: () => db.close(),
  };
}

/**
 * Group commit: the writes that arrive while a commit is under way are committed together in one transaction
 * (on SQLite, those that arrive while the event loop is busy, at its next turn), and each caller resolves only
 * once its write is committed, so a client never gets a 201 for a row that is not stored. A commit costs far
 * more than a row, and on PostgreSQL its round trips and its wait for the disk are shared by the batch; a paced
 * kind's commits start at least `pace` milliseconds apart (COMMIT_PACE_MS), so that batches grow under load. At most
 * IN_FLIGHT batches of a kind are committing at once per process (SQLite has one writer anyway), each of at
 * most MAX_BATCH writes. Batches on several instances may run at once: the programs above take their shared
 * locks in one order, so they can queue but never deadlock. If a batch fails, its writes are retried one by one,
 * so one bad row fails only itself.
 */
function groupCommit<T>(
  db: SqlExecutor,
  write: (batch: T[], tally: Tally, lane: number) => Program<void>,
  pace: number,
): (item: T) => Promise<void> {
  type Waiting = { item: T; resolve: () => void; reject: (error: unknown) => void };
  // A fresh tally each time the program runs (a transaction may be run again). On PostgreSQL each transaction
  // picks at random one of the shards of the rows it adds to, and one of the client lanes of the audit chains
  // it appends to, so concurrent writers of one statement, client or organization seldom queue.
  const pick = (n: number) => (db.dialect === "sqlite" ? 0 : randomInt(n));
  const commit = (items: T[]) =>
    db.transaction(() => write(items, new Tally(pick(COUNT_SHARDS)), pick(CLIENT_LANES)));
  const inFlight = db.dialect === "sqlite" ? 1 : IN_FLIGHT;
  let queue: Waiting[] = [];
  let committing = 0;
  let started = -Infinity;
  let pausing: NodeJS.Timeout | undefined;
  const flush = async () => {
    if (committing >= inFlight || queue.length === 0 || pausing) return;
    const wait = started + pace - performance.now();
    if (wait > 0) return void (pausing = setTimeout(() => ((pausing = undefined), void flush()), wait));
    started = performance.now();
    committing++;
    const batch = queue.length > MAX_BATCH ? queue.splice(0, MAX_BATCH) : queue;
    if (batch === queue) queue = [];
    try {
      await commit(batch.map((w) => w.item));
      for (const w of batch) w.resolve();
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else
        for (const w of batch) {
          try {
            await commit([w.item]);
            w.resolve();
          } catch (single) {
            w.reject(single);
          }
        }
    } finally {
      committing--;
      if (queue.length > 0) setImmediate(() => void flush());
    }
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      if (queue.push({ item, resolve, reject }) === 1) setImmediate(() => void flush());
    });
}

/**
 * Reads by key, batched on PostgreSQL: the keys asked for while the event loop is busy are read together in one
 * statement at its next turn (each a round trip to the server otherwise). Every read still starts after the
 * request that asked for it arrived, so it sees every commit made before it (a revocation included). On
 * SQLite, where a read is a call into the same process, each is made at once.
 */
function batchedReads<R, V>(
  db: SqlExecutor,
  statement: Statement<{ keys: string[] }, R>,
  keyOf: (row: R) => string,
  map: (row: R) => V,
): (key: string) => Promise<V | null> {
  if (db.dialect === "sqlite")
    return async (key) => {
      const row = (await db.all(statement, { keys: [key] }))[0];
      return row === undefined ? null : map(row);
    };
  let waiting = new Map<string, ((value: V | null, error?: unknown) => void)[]>();
  const flush = async () => {
    const batch = waiting;
    waiting = new Map();
    try {
      const rows = new Map((await db.all(statement, { keys: [...batch.keys()] })).map((r) => [keyOf(r), r]));
      for (const [key, callers] of batch) {
        const row = rows.get(key);
        const value = row === undefined ? null : map(row);
        for (const answer of callers) answer(value);
      }
    } catch (error) {
      for (const callers of batch.values()) for (const answer of callers) answer(null, error);
    }
  };
  return (key) =>
    new Promise((resolve, reject) => {
      if (waiting.size === 0) setImmediate(() => void flush());
      const answer = (value: V | null, error?: unknown) => (error ? reject(error) : resolve(value));
      const callers = waiting.get(key);
      if (callers) callers.push(answer);
      else waiting.set(key, [answer]);
    });
}

/** The most rows `remembered` keeps: more than the clients and statements of any burst, a few MiB at most. */
const REMEMBERED = 10_000;

/**
 * Reads by key that this process remembers for as long as no other connection has committed to the database
 * (`othersCommits`: SQLite's data_version). Whatever can refuse a statement or a client — a revocation, an
 * issuer's removal, anything the console or another worker or instance writes — is a commit of another
 * connection, which forgets every remembered row at the next read. This store's own writes (registrations,
 * tokens, counts, refusals, throttling) never change what a statement or a client is: a write of the hot path
 * that did would have to forget it itself. What was not found is not remembered (the next registration may
 * create it through this very connection). Where one connection cannot tell (PostgreSQL's pool), every read
 * goes to the database.
 */
function remembered<V>(
  db: SqlExecutor,
  read: (key: string) => Promise<V | null>,
): (key: string) => Promise<V | null> {
  if (db.othersCommits() === null) return read;
  const rows = new Map<string, V>();
  let version: number | null = null;
  return async (key) => {
    const now = db.othersCommits();
    if (now !== version) {
      rows.clear();
      version = now;
    }
    const kept = rows.get(key);
    if (kept !== undefined) return kept;
    const value = await read(key);
    // Kept only if nothing else committed during the read: then the row is at least as new as `version`.
    if (value !== null && db.othersCommits() === version) {
      if (rows.size >= REMEMBERED) rows.delete(rows.keys().next().value!);
      rows.set(key, value);
    }
    return value;
  };
}
