import { appendAuditEvent } from "@/lib/audit/append";
import { env } from "@/lib/env";
import { openSqlExecutor } from "@/lib/sql/open";
import { run, type Program, type SqlExecutor } from "@/lib/sql/statement";
import * as q from "./queries";
import {
  retryAfterSeconds,
  THROTTLE_IDLE_MS,
  type Audited,
  type DcrStore,
  type NewRegistration,
  type NewToken,
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

/** How often, in throttle calls, rows idle past THROTTLE_IDLE_MS are deleted. */
const PRUNE_EVERY = 10_000;

// What a batch of writes does, in its one transaction.
function* registering(batch: { registration: NewRegistration; audited: Audited }[]): Program<void> {
  for (const { registration, audited } of batch) {
    yield* run(q.insertRegistration, registration);
    yield* run(q.countRegistration, { statementId: registration.statementId });
    yield* appendAuditEvent(audited.ctx, audited.entry);
  }
}
/** Each token's row; its registration's counter once per batch (a client refreshing often is one update). */
function* issuing(tokens: NewToken[]): Program<void> {
  const counts = new Map<string, { registrationId: string; count: number; lastTokenAt: Date }>();
  for (const token of tokens) {
    yield* run(q.insertToken, token);
    const counted = counts.get(token.registrationId);
    if (counted) {
      counted.count++;
      if (token.issuedAt > counted.lastTokenAt) counted.lastTokenAt = token.issuedAt;
    } else counts.set(token.registrationId, { ...token, count: 1, lastTokenAt: token.issuedAt });
  }
  for (const counted of counts.values()) yield* run(q.countTokens, counted);
}
function* auditing(batch: Audited[]): Program<void> {
  for (const audited of batch) yield* appendAuditEvent(audited.ctx, audited.entry);
}

function storeOn(db: SqlExecutor): DcrStore {
  const register = groupCommit(db, registering);
  const issue = groupCommit(db, issuing);
  const audit = groupCommit(db, auditing);
  let throttleCalls = 0;

  return {
    async statementByFingerprint(fingerprint) {
      const row = await db.get(q.statementByFingerprint, { fingerprint });
      return row ? q.toKnownStatement(row) : null;
    },
    insertRegistration: (registration, audited) => register({ registration, audited }),
    audit: (audited) => audit(audited),
    async tokenClient(clientId) {
      const row = await db.get(q.tokenClient, { clientId });
      return row ? q.toTokenClient(row) : null;
    },
    insertToken: (token) => issue(token),
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
function groupCommit<T>(db: SqlExecutor, write: (batch: T[]) => Program<void>): (item: T) => Promise<void> {
  type Waiting = { item: T; resolve: () => void; reject: (error: unknown) => void };
  const commit = (items: T[]) => db.transaction(() => write(items));
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
