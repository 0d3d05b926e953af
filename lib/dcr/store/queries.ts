import { sql } from "kysely";
import { COUNTERS, type Counter } from "@/lib/activity/types";
import { insertRows, keysIn } from "@/lib/sql/rows";
import { Statement } from "@/lib/sql/statement";
import type { KnownClient, KnownStatement, NewRefusal, ServedStatement } from "./types";

/**
 * Every query of the client-facing hot path, written once for SQLite and PostgreSQL (lib/sql/statement.ts).
 * Each read is one indexed lookup that returns only what its endpoint needs.
 */

type Row = Record<string, unknown>;

/** The statements with these fingerprints (a batch of registrations' reads in one statement). */
export const statementsByFingerprint = new Statement<{ keys: string[] }, Row>(
  "dcr_statements",
  (db, p, dialect) =>
    db
      .selectFrom("SoftwareStatement as s")
      .innerJoin("Application as a", "a.id", "s.applicationId")
      .innerJoin("Organization as o", "o.id", "s.organizationId")
      .select([
        "s.fingerprint",
        "s.id",
        "s.organizationId",
        "s.applicationId",
        "s.status",
        "a.domains",
        "a.scopes",
        "o.issuerGeneration",
      ])
      .where("s.fingerprint", "in", keysIn(dialect, p.keys)),
);

export const toKnownStatement = (row: Row): KnownStatement => ({
  id: String(row.id),
  organizationId: String(row.organizationId),
  applicationId: String(row.applicationId),
  active: row.status === "ACTIVE",
  domains: JSON.parse(String(row.domains)) as string[],
  scopes: JSON.parse(String(row.scopes)) as string[],
  issuerGeneration: Number(row.issuerGeneration),
});

/** A batch's registrations, in one statement. */
export const insertRegistrations = insertRows("dcr_insert_registrations", "ClientRegistration", [
  "id",
  "clientId",
  "secretHash",
  "organizationId",
  "statementId",
  "applicationId",
  "deviceInfo",
  "platform",
  "deviceModel",
  "redirectUri",
  "ip",
  "userAgent",
  "simulated",
  "tokenLifetimeOverride",
  "createdAt",
]);

/** Adds a transaction's registrations of a statement to one shard of its tally (StatementTally). */
export const addStatementTally = new Statement<{ statementId: string; shard: number; registrations: number }>(
  "dcr_add_statement_tally",
  (db, p) =>
    db
      .insertInto("StatementTally")
      .values({ statementId: p.statementId, shard: p.shard, registrations: p.registrations })
      .onConflict((conflict) =>
        conflict.columns(["statementId", "shard"]).doUpdateSet((eb) => ({
          registrations: eb("StatementTally.registrations", "+", eb.ref("excluded.registrations")),
        })),
      ),
);

/**
 * What the token endpoint, the protected resources and introspection check of these clients, in one statement
 * (a batch of requests' reads on PostgreSQL; one remembered row per client on SQLite, ./index.ts).
 */
export const clients = new Statement<{ keys: string[] }, Row>("dcr_clients", (db, p, dialect) =>
  db
    .selectFrom("ClientRegistration as r")
    .innerJoin("SoftwareStatement as s", "s.id", "r.statementId")
    .innerJoin("Organization as o", "o.id", "r.organizationId")
    .innerJoin("Application as a", "a.id", "r.applicationId")
    .select([
      "r.clientId",
      "r.id",
      "r.secretHash",
      "r.organizationId",
      "r.statementId",
      "r.applicationId",
      "s.status",
      "r.tokenLifetimeOverride",
      "o.tokenLifetimeSeconds",
      "o.slug as organizationSlug",
      "o.name as organizationName",
      "a.scopes",
    ])
    .where("r.clientId", "in", keysIn(dialect, p.keys)),
);

export const toKnownClient = (row: Row): KnownClient => ({
  id: String(row.id),
  secretHash: String(row.secretHash),
  organizationId: String(row.organizationId),
  statementId: String(row.statementId),
  applicationId: String(row.applicationId),
  statementActive: row.status === "ACTIVE",
  lifetimeSeconds: Number(row.tokenLifetimeOverride ?? row.tokenLifetimeSeconds),
  scopes: JSON.parse(String(row.scopes)) as string[],
  organization: {
    id: String(row.organizationId),
    slug: String(row.organizationSlug),
    name: String(row.organizationName),
  },
});

/** A batch's tokens, in one statement. */
export const insertTokens = insertRows("dcr_insert_tokens", "AccessToken", [
  "id",
  "jti",
  "registrationId",
  "organizationId",
  "issuedAt",
  "expiresAt",
]);

/** Adds a transaction's tokens of a client to one shard of its tally (ClientTally), with the latest time. */
export const addClientTally = new Statement<{
  registrationId: string;
  shard: number;
  tokens: number;
  lastTokenAt: Date;
}>("dcr_add_client_tally", (db, p) =>
  db
    .insertInto("ClientTally")
    .values({
      registrationId: p.registrationId,
      shard: p.shard,
      tokens: p.tokens,
      lastTokenAt: p.lastTokenAt,
    })
    .onConflict((conflict) =>
      conflict.columns(["registrationId", "shard"]).doUpdateSet((eb) => {
        const kept = sql.ref("ClientTally.lastTokenAt");
        const added = sql.ref("excluded.lastTokenAt");
        return {
          tokens: eb("ClientTally.tokens", "+", eb.ref("excluded.tokens")),
          lastTokenAt: sql<Date>`CASE WHEN ${kept} < ${added} THEN ${added} ELSE ${kept} END`,
        };
      }),
    ),
);

/**
 * What an application's statement URL serves: its newest active statement that has not expired (one that has
 * could not register), when the URL is turned on.
 */
export const currentStatement = new Statement<{ applicationId: string; now: Date }, Row>(
  "dcr_current_statement",
  (db, p) =>
    db
      .selectFrom("SoftwareStatement as s")
      .innerJoin("Application as a", "a.id", "s.applicationId")
      .select(["s.id", "s.organizationId", "s.applicationId", "s.jwt", "s.fingerprint"])
      .where("s.applicationId", "=", p.applicationId)
      .where("a.statementUrl", "=", true)
      .where("s.status", "=", "ACTIVE")
      .where((eb) => eb.or([eb("s.expiresAt", "is", null), eb("s.expiresAt", ">", p.now)]))
      .orderBy("s.createdAt", "desc")
      .orderBy("s.id", "desc")
      .limit(1),
);

export const toServedStatement = (row: Row): ServedStatement => ({
  statementId: String(row.id),
  organizationId: String(row.organizationId),
  applicationId: String(row.applicationId),
  jwt: String(row.jwt),
  fingerprint: String(row.fingerprint),
});

/**
 * A batch's devices (one row per statement and device, `registrations` the batch's count of it): each created or
 * counted once more. Returns each device's new count.
 */
export const sightDevices = insertRows<
  "DeviceSighting",
  "statementId" | "deviceHash" | "registrations" | "firstSeenAt" | "lastSeenAt",
  { statementId: string; deviceHash: string; registrations: number }
>(
  "dcr_sight_devices",
  "DeviceSighting",
  ["statementId", "deviceHash", "registrations", "firstSeenAt", "lastSeenAt"],
  sql`ON CONFLICT ("statementId", "deviceHash") DO UPDATE SET
    "registrations" = "DeviceSighting"."registrations" + excluded."registrations",
    "lastSeenAt" = excluded."lastSeenAt"
    RETURNING "statementId", "deviceHash", "registrations"`,
);

/** One statement-hour of rollup counts to add (./activity.ts sums a transaction's events into these). */
export type ActivityRow = {
  statementId: string;
  organizationId: string;
  applicationId: string;
  bucket: Date;
  shard: number;
  lastRefusalAt: Date | null;
} & Record<Counter, number>;

export const addActivity = new Statement<ActivityRow>("dcr_add_activity", (db, p) =>
  db
    .insertInto("ActivityRollup")
    .values({
      statementId: p.statementId,
      bucket: p.bucket,
      shard: p.shard,
      organizationId: p.organizationId,
      applicationId: p.applicationId,
      lastRefusalAt: p.lastRefusalAt,
      ...(Object.fromEntries(COUNTERS.map((c) => [c, p[c]])) as Record<Counter, number>),
    })
    .onConflict((conflict) =>
      conflict.columns(["statementId", "bucket", "shard"]).doUpdateSet((eb) => {
        const kept = sql.ref("ActivityRollup.lastRefusalAt");
        const added = sql.ref("excluded.lastRefusalAt");
        return {
          ...Object.fromEntries(
            COUNTERS.map((c) => [c, eb(`ActivityRollup.${c}`, "+", eb.ref(`excluded.${c}`))]),
          ),
          lastRefusalAt: sql<Date>`CASE WHEN ${kept} IS NULL OR ${kept} < ${added} THEN ${added} ELSE ${kept} END`,
        };
      }),
    ),
);

type Take = { key: string; rate: number; burst: number; now: number };

/**
 * Token bucket in one atomic upsert (the row lock makes refill-and-take atomic across instances): refill by the
 * time elapsed, capped at the burst; take a token if there is a whole one; say whether it did. A refused
 * request takes nothing.
 */
export const takeThrottle = new Statement<Take, { tokens: number; allowed: boolean | number }>(
  "dcr_throttle",
  (db, p) => {
    const rate = sql<number>`CAST(${p.rate} AS DOUBLE PRECISION)`;
    const burst = sql<number>`CAST(${p.burst} AS DOUBLE PRECISION)`;
    const now = sql<number>`CAST(${p.now} AS BIGINT)`;
    const updatedAt = sql.ref("DcrThrottle.updatedAt");
    const elapsed = sql`CASE WHEN ${now} > ${updatedAt} THEN ${now} - ${updatedAt} ELSE 0 END`;
    const grown = sql`${sql.ref("DcrThrottle.tokens")} + ${elapsed} / 1000.0 * ${rate}`;
    const refilled = sql<number>`CASE WHEN ${grown} > ${burst} THEN ${burst} ELSE ${grown} END`;
    return db
      .insertInto("DcrThrottle")
      .values({ key: p.key, tokens: sql`${burst} - 1`, updatedAt: now, allowed: true })
      .onConflict((conflict) =>
        conflict.column("key").doUpdateSet({
          allowed: sql<boolean>`${refilled} >= 1`,
          tokens: sql<number>`${refilled} - CASE WHEN ${refilled} >= 1 THEN 1 ELSE 0 END`,
          updatedAt: sql<number>`CASE WHEN ${updatedAt} > ${now} THEN ${updatedAt} ELSE ${now} END`,
        }),
      )
      .returning(["tokens", "allowed"]);
  },
);

export const pruneThrottle = new Statement<{ before: number }>("dcr_prune_throttle", (db, p) =>
  db.deleteFrom("DcrThrottle").where("updatedAt", "<", sql<number>`CAST(${p.before} AS BIGINT)`),
);

export const insertRefusal = new Statement<NewRefusal>("dcr_insert_refusal", (db, p) =>
  db.insertInto("Refusal").values({
    id: p.id,
    at: p.at,
    requestId: p.requestId,
    endpoint: p.endpoint,
    status: p.status,
    code: p.code,
    reason: p.reason,
    description: p.description,
    organizationId: p.organizationId,
    applicationId: p.applicationId,
    statementId: p.statementId,
    clientId: p.clientId,
    ip: p.ip,
    userAgent: p.userAgent,
  }),
);

/** Refusals older than `before`, at most `limit` of them (oldest first): pruning never holds a long lock. */
export const pruneRefusals = new Statement<{ before: Date; limit: number }>("dcr_prune_refusals", (db, p) =>
  db
    .deleteFrom("Refusal")
    .where("id", "in", (eb) =>
      eb.selectFrom("Refusal").select("id").where("at", "<", p.before).orderBy("at").limit(p.limit),
    ),
);
