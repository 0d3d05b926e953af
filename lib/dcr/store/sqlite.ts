import Database from "better-sqlite3";
import type { AuditRow, ChainHead } from "@/lib/audit/event";
import {
  retryAfterSeconds,
  THROTTLE_IDLE_MS,
  toKnownStatement,
  toResourceClient,
  toTokenClient,
  type DcrStore,
  type KnownStatement,
  type NewRegistration,
  type NewToken,
  type ResourceClient,
  type TokenClient,
} from "./types";

/** How Prisma's SQLite adapter stores a DateTime (so Prisma reads back what this writes). */
const sqliteDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

/**
 * The hot path on SQLite: its own connection, prepared statements, synchronous transactions that never
 * span an `await`, group-committed. Its busy timeout is zero and a locked database is retried asynchronously, so a Prisma
 * transaction in this same process (which holds the lock across awaits) is never starved by a thread
 * blocked waiting for it.
 */
export function sqliteStore(file: string): DcrStore {
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 0");

  const statement = sqlite.prepare<[string], Record<string, string>>(`
    SELECT s.id, s.organizationId, s.applicationId, s.status, a.domains, a.scopes
    FROM SoftwareStatement s JOIN Application a ON a.id = s.applicationId
    WHERE s.fingerprint = ?`);
  const insertRegistration = sqlite.prepare(`
    INSERT INTO ClientRegistration (id, clientId, secretHash, organizationId, statementId, applicationId,
      deviceInfo, platform, deviceModel, redirectUri, ip, userAgent, simulated, tokenLifetimeOverride, tokenCount, createdAt)
    VALUES (@id, @clientId, @secretHash, @organizationId, @statementId, @applicationId, @deviceInfo, @platform,
      @deviceModel, @redirectUri, @ip, @userAgent, @simulated, @tokenLifetimeOverride, 0, @createdAt)`);
  const bumpRegistrations = sqlite.prepare(
    `UPDATE SoftwareStatement SET registrationCount = registrationCount + 1 WHERE id = ?`,
  );
  const chainHead = sqlite.prepare<[string], ChainHead>(
    `SELECT seq, hash FROM AuditEvent WHERE chain = ? ORDER BY seq DESC LIMIT 1`,
  );
  const insertEvent = sqlite.prepare(`
    INSERT INTO AuditEvent (id, chain, seq, createdAt, organizationId, actorUserId, actorEmail, actorRole, actingFor,
      action, targetType, targetId, before, after, requestId, ip, userAgent, prevHash, hash)
    VALUES (@id, @chain, @seq, @createdAt, @organizationId, @actorUserId, @actorEmail, @actorRole, @actingFor,
      @action, @targetType, @targetId, @before, @after, @requestId, @ip, @userAgent, @prevHash, @hash)`);
  const tokenClient = sqlite.prepare<[string], Record<string, string | number | null>>(`
    SELECT r.id, r.secretHash, r.organizationId, s.status, r.tokenLifetimeOverride, o.tokenLifetimeSeconds, a.scopes
    FROM ClientRegistration r
      JOIN SoftwareStatement s ON s.id = r.statementId
      JOIN Organization o ON o.id = r.organizationId
      JOIN Application a ON a.id = r.applicationId
    WHERE r.clientId = ?`);
  const insertToken = sqlite.prepare(`
    INSERT INTO AccessToken (id, jti, registrationId, organizationId, issuedAt, expiresAt)
    VALUES (@id, @jti, @registrationId, @organizationId, @issuedAt, @expiresAt)`);
  const bumpTokens = sqlite.prepare(
    `UPDATE ClientRegistration SET tokenCount = tokenCount + 1, lastTokenAt = ? WHERE id = ?`,
  );
  const resourceClient = sqlite.prepare<[string], Record<string, string>>(`
    SELECT r.secretHash, s.status, o.id, o.slug, o.name
    FROM ClientRegistration r
      JOIN SoftwareStatement s ON s.id = r.statementId
      JOIN Organization o ON o.id = r.organizationId
    WHERE r.clientId = ?`);
  // One atomic statement: refill by the time elapsed, take a token if there is one, say whether it did.
  const throttle = sqlite.prepare<
    [{ key: string; burst: number; rate: number; now: number }],
    { tokens: number; allowed: number }
  >(`
    INSERT INTO DcrThrottle (key, tokens, updatedAt, allowed) VALUES (@key, @burst - 1, @now, 1)
    ON CONFLICT (key) DO UPDATE SET
      allowed = (MIN(@burst, tokens + MAX(0, @now - updatedAt) / 1000.0 * @rate) >= 1),
      tokens = MIN(@burst, tokens + MAX(0, @now - updatedAt) / 1000.0 * @rate)
        - (MIN(@burst, tokens + MAX(0, @now - updatedAt) / 1000.0 * @rate) >= 1),
      updatedAt = MAX(updatedAt, @now)
    RETURNING tokens, allowed`);
  const pruneThrottle = sqlite.prepare(`DELETE FROM DcrThrottle WHERE updatedAt < ?`);
  let throttleCalls = 0;

  type Registering = { registration: NewRegistration; event: (head: ChainHead | null) => AuditRow };
  const registerTx = sqlite.transaction((batch: Registering[]) => {
    for (const { registration: r, event } of batch) {
      insertRegistration.run({
        ...r,
        simulated: r.simulated ? 1 : 0,
        createdAt: sqliteDate(r.createdAt),
      });
      bumpRegistrations.run(r.statementId);
      const row = event(chainHead.get(`org:${r.organizationId}`) ?? null);
      insertEvent.run({ ...row, createdAt: sqliteDate(row.createdAt), actingFor: row.actingFor ? 1 : 0 });
    }
  });
  const tokenTx = sqlite.transaction((batch: NewToken[]) => {
    for (const t of batch) {
      insertToken.run({ ...t, issuedAt: sqliteDate(t.issuedAt), expiresAt: sqliteDate(t.expiresAt) });
      bumpTokens.run(sqliteDate(t.issuedAt), t.registrationId);
    }
  });
  const register = groupCommit<Registering>((batch) => registerTx.immediate(batch));
  const recordToken = groupCommit<NewToken>((batch) => tokenTx.immediate(batch));

  return {
    async statementByFingerprint(fingerprint): Promise<KnownStatement | null> {
      const row = statement.get(fingerprint);
      return row ? toKnownStatement(row) : null;
    },
    insertRegistration: (registration, event) => register({ registration, event }),
    async tokenClient(clientId): Promise<TokenClient | null> {
      const row = tokenClient.get(clientId);
      return row ? toTokenClient(row) : null;
    },
    insertToken: (token) => recordToken(token),
    async resourceClient(clientId): Promise<ResourceClient | null> {
      const row = resourceClient.get(clientId);
      return row ? toResourceClient(row) : null;
    },
    async takeThrottle(key, rate, burst, nowMs) {
      if (++throttleCalls % 10_000 === 0)
        await whenUnlocked(() => pruneThrottle.run(nowMs - THROTTLE_IDLE_MS));
      const row = await whenUnlocked(() => throttle.get({ key, burst, rate, now: nowMs })!);
      return row.allowed ? 0 : retryAfterSeconds(row.tokens, rate);
    },
    async close() {
      sqlite.close();
    },
  };
}

/**
 * Group commit: the writes that arrive while the event loop is busy are committed together in one
 * transaction at the next turn, and each caller resolves only once its write is committed (so a client never
 * gets a 201 for a row that is not stored). A commit costs far more than a row; under load this turns many
 * commits into one. If the batch fails, its writes are retried one by one, so one bad row fails only itself.
 */
function groupCommit<T>(commit: (batch: T[]) => void): (item: T) => Promise<void> {
  type Waiting = { item: T; resolve: () => void; reject: (error: unknown) => void };
  let queue: Waiting[] = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    try {
      await whenUnlocked(() => commit(batch.map((w) => w.item)));
      for (const w of batch) w.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const w of batch) {
        try {
          await whenUnlocked(() => commit([w.item]));
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

const RETRY_FOR_MS = 10_000;

/** Runs a write, retrying on a locked database without blocking the event loop. */
async function whenUnlocked<T>(write: () => T): Promise<T> {
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      return write();
    } catch (error) {
      const busy = /^SQLITE_BUSY/.test(String((error as { code?: string }).code));
      if (!busy || Date.now() - started > RETRY_FOR_MS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(20, attempt) * Math.random()));
    }
  }
}
