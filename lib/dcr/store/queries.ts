import { sql } from "kysely";
import { COUNTERS, type Counter } from "@/lib/activity/types";
import { insertRows, keyIn } from "@/lib/sql/rows";
import { Statement } from "@/lib/sql/statement";
import type { KnownClient, KnownStatement, ServedStatement } from "./types";

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
      .where(keyIn(dialect, "s.fingerprint", p.keys)),
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

/** Adds a transaction's registrations of each statement to one shard of its tally (StatementTally). */
export const addStatementTallies = insertRows(
  "dcr_add_statement_tallies",
  "StatementTally",
  ["statementId", "shard", "registrations"],
  sql`ON CONFLICT ("statementId", "shard") DO UPDATE SET
    "registrations" = "StatementTally"."registrations" + excluded."registrations"`,
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
    .where(keyIn(dialect, "r.clientId", p.keys)),
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

/** The later of a row's kept time and the one a conflicting insert brings (a kept null counts as earliest). */
const latest = (table: string, column: string) => {
  const kept = sql.ref(`${table}.${column}`);
  const added = sql.ref(`excluded.${column}`);
  return sql`CASE WHEN ${kept} IS NULL OR ${kept} < ${added} THEN ${added} ELSE ${kept} END`;
};

/** Adds a transaction's tokens of each client to one shard of its tally (ClientTally), with the latest time. */
export const addClientTallies = insertRows(
  "dcr_add_client_tallies",
  "ClientTally",
  ["registrationId", "shard", "tokens", "lastTokenAt"],
  sql`ON CONFLICT ("registrationId", "shard") DO UPDATE SET
    "tokens" = "ClientTally"."tokens" + excluded."tokens",
    "lastTokenAt" = ${latest("ClientTally", "lastTokenAt")}`,
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

/** Adds a transaction's counts of each statement-hour to its rollup row (one shard of it). */
export const addActivity = insertRows(
  "dcr_add_activity",
  "ActivityRollup",
  ["statementId", "bucket", "shard", "organizationId", "applicationId", "lastRefusalAt", ...COUNTERS],
  sql`ON CONFLICT ("statementId", "bucket", "shard") DO UPDATE SET
    ${sql.join(COUNTERS.map((c) => sql`${sql.ref(c)} = ${sql.ref(`ActivityRollup.${c}`)} + ${sql.ref(`excluded.${c}`)}`))},
    "lastRefusalAt" = ${latest("ActivityRollup", "lastRefusalAt")}`,
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

/** A batch's refusals, in one statement. */
export const insertRefusals = insertRows("dcr_insert_refusals", "Refusal", [
  "id",
  "at",
  "requestId",
  "endpoint",
  "status",
  "code",
  "reason",
  "description",
  "organizationId",
  "applicationId",
  "statementId",
  "clientId",
  "ip",
  "userAgent",
]);

/** Refusals older than `before`, at most `limit` of them (oldest first): pruning never holds a long lock. */
export const pruneRefusals = new Statement<{ before: Date; limit: number }>("dcr_prune_refusals", (db, p) =>
  db
    .deleteFrom("Refusal")
    .where("id", "in", (eb) =>
      eb.selectFrom("Refusal").select("id").where("at", "<", p.before).orderBy("at").limit(p.limit),
    ),
);
