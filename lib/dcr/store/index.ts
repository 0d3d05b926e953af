import { appendAuditEvent } from "@/lib/audit/append";
import { env } from "@/lib/env";
import { openSqlExecutor } from "@/lib/sql/open";
import { randomInt } from "node:crypto";
import { get, run, type Program, type SqlExecutor } from "@/lib/sql/statement";
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

/** Rollup rows per statement-hour on PostgreSQL (see ActivityRollup in prisma/schema.prisma). */
const ROLLUP_SHARDS = 8;

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

// What a batch of writes does, in its one transaction. Each batch sums its rollup counts per statement-hour and
// writes them last: every transaction takes its locks in the same order (statement, audit chain, device, rollup).
type Registering = { registration: NewRegistration; audited: Audited; deviceHash: string };
function* registering(batch: Registering[], tally: Tally): Program<void> {
  for (const { registration, audited, deviceHash } of batch) {
    yield* run(q.insertRegistration, registration);
    yield* run(q.countRegistration, { statementId: registration.statementId });
    yield* appendAuditEvent(audited.ctx, audited.entry);
    const { statementId, createdAt: at } = registration;
    const device = yield* get(q.sightDevice, { statementId, deviceHash, at });
    tally.add(registration, at, "registrations");
    if (device?.registrations === 1) tally.add(registration, at, "newDevices");
  }
  yield* tally.write();
}
/** Each token's row; its registration's counter once per batch (a client refreshing often is one update). */
type Issuing = { token: NewToken; who: Attribution };
function* issuing(batch: Issuing[], tally: Tally): Program<void> {
  const counts = new Map<string, { registrationId: string; count: number; lastTokenAt: Date }>();
  for (const { token, who } of batch) {
    yield* run(q.insertToken, token);
    tally.add(who, token.issuedAt, "tokens");
    const counted = counts.get(token.registrationId);
    if (counted) {
      counted.count++;
      if (token.issuedAt > counted.lastTokenAt) counted.lastTokenAt = token.issuedAt;
    } else counts.set(token.registrationId, { ...token, count: 1, lastTokenAt: token.issuedAt });
  }
  for (const counted of counts.values()) yield* run(q.countTokens, counted);
  yield* tally.write();
}
/** Refusals (their row, and their audit event when they have one) and statement fetches (a count only). */
type Counting = { refusal?: NewRefusal; audited?: Audited; counted?: Counted; at: Date };
function* counting(batch: Counting[], tally: Tally): Program<void> {
  for (const { refusal, audited, counted, at } of batch) {
    if (refusal) yield* run(q.insertRefusal, refusal);
    if (audited) yield* appendAuditEvent(audited.ctx, audited.entry);
    if (counted) tally.add(counted.who, at, counted.counter);
  }
  yield* tally.write();
}

function storeOn(db: SqlExecutor): DcrStore {
  const register = groupCommit(db, registering);
  const issue = groupCommit(db, issuing);
  const count = groupCommit(db, counting);
  let throttleCalls = 0;
  let refusals = 0;
  let prunedAt = 0;
  const pruneRefusals = async (now: number) => {
    if (++refusals % REFUSAL_PRUNE_EVERY !== 0 && now - prunedAt < REFUSAL_PRUNE_MS) return;
    prunedAt = now;
    await db.run(q.pruneRefusals, { before: refusalCutoff(now), limit: REFUSAL_PRUNE_LIMIT });
  };

  return {
    async statementByFingerprint(fingerprint) {
      const row = await db.get(q.statementByFingerprint, { fingerprint });
      return row ? q.toKnownStatement(row) : null;
    },
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
    async tokenClient(clientId) {
      const row = await db.get(q.tokenClient, { clientId });
      return row ? q.toTokenClient(row) : null;
    },
    insertToken: (token, who) => issue({ token, who }),
    async resourceClient(clientId) {
      const row = await db.get(q.resourceClient, { clientId });
      return row ? q.toResourceClient(row) : null;
    },
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
 * Group commit, on SQLite: the writes that arrive while the event loop is busy are committed together in one
 * transaction at the next turn, and each caller resolves only once its write is committed (so a client never
 * gets a 201 for a row that is not stored). There a commit costs far more than a row and there is one writer
 * at a time; under load this turns many commits into one. If the batch fails, its writes are retried one by
 * one, so one bad row fails only itself. On PostgreSQL each write is its own transaction: writers on several
 * instances run at once there, and batches locking several audit chains or registration rows in different
 * orders would deadlock each other.
 */
function groupCommit<T>(
  db: SqlExecutor,
  write: (batch: T[], tally: Tally) => Program<void>,
): (item: T) => Promise<void> {
  type Waiting = { item: T; resolve: () => void; reject: (error: unknown) => void };
  // A fresh tally each time the program runs (a transaction may be run again). On PostgreSQL each transaction
  // picks one of the rollup row's shards at random, so concurrent writers of one statement seldom queue.
  const shard = () => (db.dialect === "sqlite" ? 0 : randomInt(ROLLUP_SHARDS));
  const commit = (items: T[]) => db.transaction(() => write(items, new Tally(shard())));
  if (db.dialect !== "sqlite") return (item) => commit([item]);
  let queue: Waiting[] = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    try {
      await commit(batch.map((w) => w.item));
      for (const w of batch) w.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const w of batch) {
        try {
          await commit([w.item]);
          w.resolve();
        } catch (single) {
          w.reject(single);
        }
      }
    }
  };
  return (item) =>
    new Promise<void>((resolve, reject) => {
      if (queue.push({ item, resolve, reject }) === 1) setImmediate(() => void flush());
    });
}
