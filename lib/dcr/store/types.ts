import type { Counter } from "@/lib/activity/types";
import type { AuditContext, AuditEntry } from "@/lib/audit/event";
import type { Attribution } from "./activity";
import type { AccessToken, ClientRegistration, Refusal } from "@/lib/generated/prisma/client";

/**
 * What the client-facing hot path reads and writes, on the driver (prepared statements on SQLite, a pool on
 * PostgreSQL) rather than through Prisma: a token costs one indexed read and one short write transaction.
 * Prisma stays the owner of the schema; the queries (./queries.ts) are typed from its models.
 */
export interface DcrStore {
  /** The one statement with this fingerprint (unique), with what registration needs of its application. */
  statementByFingerprint(fingerprint: string): Promise<KnownStatement | null>;
  /**
   * Stores a registration, bumps its statement's counter, counts the device (`deviceHash`, ./device.ts) and the
   * hour's rollup, and appends its audit event: all or nothing.
   */
  insertRegistration(registration: NewRegistration, audit: Audited, deviceHash: string): Promise<void>;
  /**
   * Records an error answer (the Refusal row support finds by its request id), with its audit event when it has
   * one and its rollup count when it can be attributed: all or nothing. Now and then it prunes refusals older than
   * the retention (REFUSAL_RETENTION_DAYS).
   */
  refuse(refusal: NewRefusal, audited?: Audited, counted?: Counted): Promise<void>;
  /** Counts a statement fetch (its statement URL), which stores nothing else, in its hour's rollup. */
  count(who: Attribution, counter: "statementFetches"): Promise<void>;
  /**
   * The newest active, unexpired statement of an application whose statement URL is on
   * (GET /o/client/statement/{id}).
   */
  currentStatement(applicationId: string): Promise<ServedStatement | null>;
  /**
   * A client as the token endpoint, the protected resources and introspection check it: its secret, whose it is,
   * and whether its statement still stands.
   */
  client(clientId: string): Promise<KnownClient | null>;
  /** Stores an issued token, bumps its registration's counter and its hour's rollup: all or nothing. */
  insertToken(token: NewToken, who: Attribution): Promise<void>;
  /**
   * Takes one request from the shared token bucket of `key` (rate per second, burst): 0 when it may go ahead,
   * else the seconds to wait. A refused request takes nothing.
   */
  takeThrottle(key: string, rate: number, burst: number, nowMs: number): Promise<number>;
  close(): Promise<void>;
}

/** Read-only: one object may answer many requests (the store remembers it on SQLite). */
export type KnownStatement = Readonly<{
  id: string;
  organizationId: string;
  applicationId: string;
  active: boolean;
  domains: readonly string[];
  scopes: readonly string[];
  /** Its organization's issuer generation (bumped when a trusted issuer is removed). */
  issuerGeneration: number;
}>;

/** A registration as the hot path writes it. */
export type NewRegistration = ClientRegistration;

/** Read-only: one object may answer many requests (the store remembers it on SQLite). */
export type KnownClient = Readonly<{
  id: string;
  secretHash: string;
  organizationId: string;
  statementId: string;
  applicationId: string;
  statementActive: boolean;
  lifetimeSeconds: number;
  scopes: readonly string[];
  organization: Readonly<{ id: string; slug: string; name: string }>;
}>;

export type NewToken = AccessToken;

export type NewRefusal = Refusal;

/** Throttle rows idle this long are forgotten (a full bucket again, which is what an idle client has anyway). */
export const THROTTLE_IDLE_MS = 60 * 60_000;

/** An event the rollups count: whose it was, and which counter. */
export type Counted = { who: Attribution; counter: Counter };

export type ServedStatement = Attribution & { jwt: string; fingerprint: string };

/** The event a write records, and who made it. */
export type Audited = { ctx: AuditContext; entry: AuditEntry };

/** Seconds to wait for one whole token of a bucket holding `tokens`, refilled at `rate` per second. */
export const retryAfterSeconds = (tokens: number, rate: number) =>
  Math.max(1, Math.ceil((1 - tokens) / rate));
