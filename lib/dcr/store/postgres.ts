import pg from "pg";
import { storableText } from "@/lib/text";
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

/**
 * The hot path on PostgreSQL: a small pool and named (server-side prepared) statements. Prisma maps DateTime
 * to `timestamp(3)` without time zone holding UTC, so dates are sent as UTC ISO strings.
 */
const storable = (values: unknown[]) => values.map((v) => (typeof v === "string" ? storableText(v) : v));

export function postgresStore(url: string): DcrStore {
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DCR_PG_POOL ?? 10) });
  const utc = (d: Date) => d.toISOString();

  const one = async <T extends pg.QueryResultRow>(name: string, text: string, values: unknown[]) =>
    (await pool.query<T>({ name, text, values: storable(values) })).rows[0];

  return {
    async statementByFingerprint(fingerprint): Promise<KnownStatement | null> {
      const row = await one<Record<string, string>>(
        "dcr_statement",
        `SELECT s.id, s."organizationId", s."applicationId", s.status, a.domains, a.scopes
         FROM "SoftwareStatement" s JOIN "Application" a ON a.id = s."applicationId"
         WHERE s.fingerprint = $1`,
        [fingerprint],
      );
      return row ? toKnownStatement(row) : null;
    },

    async insertRegistration(r: NewRegistration, event: (head: ChainHead | null) => AuditRow) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query({
          name: "dcr_insert_registration",
          text: `INSERT INTO "ClientRegistration" (id, "clientId", "secretHash", "organizationId", "statementId",
              "applicationId", "deviceInfo", platform, "deviceModel", "redirectUri", ip, "userAgent", simulated,
              "tokenLifetimeOverride", "tokenCount", "createdAt")
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 0, $15)`,
          // What the device sent (X-Device-Info, User-Agent) may hold a NUL or a lone surrogate.
          values: storable([
            r.id,
            r.clientId,
            r.secretHash,
            r.organizationId,
            r.statementId,
            r.applicationId,
            r.deviceInfo,
            r.platform,
            r.deviceModel,
            r.redirectUri,
            r.ip,
            r.userAgent,
            r.simulated,
            r.tokenLifetimeOverride,
            utc(r.createdAt),
          ]),
        });
        await client.query({
          name: "dcr_bump_registrations",
          text: `UPDATE "SoftwareStatement" SET "registrationCount" = "registrationCount" + 1 WHERE id = $1`,
          values: [r.statementId],
        });
        const chain = `org:${r.organizationId}`;
        // One writer per chain at a time, on every instance: the chain never forks.
        await client.query({
          name: "dcr_chain_lock",
          text: `SELECT pg_advisory_xact_lock(hashtext($1))`,
          values: [chain],
        });
        const head = await client.query<{ seq: number; hash: string }>({
          name: "dcr_chain_head",
          text: `SELECT seq, hash FROM "AuditEvent" WHERE chain = $1 ORDER BY seq DESC LIMIT 1`,
          values: [chain],
        });
        const e = event(head.rows[0] ?? null);
        await client.query({
          name: "dcr_insert_event",
          text: `INSERT INTO "AuditEvent" (id, chain, seq, "createdAt", "organizationId", "actorUserId", "actorEmail",
              "actorRole", "actingFor", action, "targetType", "targetId", before, after, "requestId", ip, "userAgent",
              "prevHash", hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
          values: [
            e.id,
            e.chain,
            e.seq,
            utc(e.createdAt),
            e.organizationId,
            e.actorUserId,
            e.actorEmail,
            e.actorRole,
            e.actingFor,
            e.action,
            e.targetType,
            e.targetId,
            e.before,
            e.after,
            e.requestId,
            e.ip,
            e.userAgent,
            e.prevHash,
            e.hash,
          ],
        });
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },

    async tokenClient(clientId): Promise<TokenClient | null> {
      const row = await one<Record<string, string | number | null>>(
        "dcr_token_client",
        `SELECT r.id, r."secretHash", r."organizationId", s.status, r."tokenLifetimeOverride",
           o."tokenLifetimeSeconds", a.scopes
         FROM "ClientRegistration" r
           JOIN "SoftwareStatement" s ON s.id = r."statementId"
           JOIN "Organization" o ON o.id = r."organizationId"
           JOIN "Application" a ON a.id = r."applicationId"
         WHERE r."clientId" = $1`,
        [clientId],
      );
      return row ? toTokenClient(row) : null;
    },

    async insertToken(t: NewToken) {
      // One round trip: the insert and the counter in a single statement (a CTE), atomic by itself.
      await pool.query({
        name: "dcr_insert_token",
        text: `WITH t AS (
            INSERT INTO "AccessToken" (id, jti, "registrationId", "organizationId", "issuedAt", "expiresAt")
            VALUES ($1, $2, $3, $4, $5, $6) RETURNING "registrationId")
          UPDATE "ClientRegistration" SET "tokenCount" = "tokenCount" + 1, "lastTokenAt" = $5
          WHERE id = (SELECT "registrationId" FROM t)`,
        values: [t.id, t.jti, t.registrationId, t.organizationId, utc(t.issuedAt), utc(t.expiresAt)],
      });
    },

    async resourceClient(clientId): Promise<ResourceClient | null> {
      const row = await one<Record<string, string>>(
        "dcr_resource_client",
        `SELECT r."secretHash", s.status, o.id, o.slug, o.name
         FROM "ClientRegistration" r
           JOIN "SoftwareStatement" s ON s.id = r."statementId"
           JOIN "Organization" o ON o.id = r."organizationId"
         WHERE r."clientId" = $1`,
        [clientId],
      );
      return row ? toResourceClient(row) : null;
    },

    async takeThrottle(key, rate, burst, nowMs) {
      if (Math.random() < 1e-4) {
        await pool.query(`DELETE FROM "DcrThrottle" WHERE "updatedAt" < $1`, [nowMs - THROTTLE_IDLE_MS]);
      }
      // The row lock of the upsert makes the refill-and-take atomic across instances.
      const row = await one<{ tokens: number; allowed: boolean }>(
        "dcr_throttle",
        `INSERT INTO "DcrThrottle" (key, tokens, "updatedAt", allowed) VALUES ($1, $2::float8 - 1, $4::bigint, true)
         ON CONFLICT (key) DO UPDATE SET
           allowed = LEAST($2::float8, "DcrThrottle".tokens + GREATEST(0, $4::bigint - "DcrThrottle"."updatedAt") / 1000.0 * $3::float8) >= 1,
           tokens = LEAST($2::float8, "DcrThrottle".tokens + GREATEST(0, $4::bigint - "DcrThrottle"."updatedAt") / 1000.0 * $3::float8)
             - CASE WHEN LEAST($2::float8, "DcrThrottle".tokens + GREATEST(0, $4::bigint - "DcrThrottle"."updatedAt") / 1000.0 * $3::float8) >= 1 THEN 1 ELSE 0 END,
           "updatedAt" = GREATEST("DcrThrottle"."updatedAt", $4::bigint)
         RETURNING tokens, allowed`,
        [key, burst, rate, nowMs],
      );
      return row!.allowed ? 0 : retryAfterSeconds(Number(row!.tokens), rate);
    },

    async close() {
      await pool.end();
    },
  };
}
