import type { AuditRow, ChainHead } from "@/lib/audit/event";
import type { AccessToken, ClientRegistration } from "@/lib/generated/prisma/client";

/**
 * The few queries the client-facing hot path makes, written against the driver (prepared statements on
 * SQLite, a pool on PostgreSQL) rather than through Prisma: a token costs one indexed read and one short write
 * transaction. Prisma stays the owner of the schema; these queries follow it (see prisma/schema.prisma).
 */
export interface DcrStore {
  /** The one statement with this fingerprint (unique), with what registration needs of its application. */
  statementByFingerprint(fingerprint: string): Promise<KnownStatement | null>;
  /** Stores a registration, bumps its statement's counter, and appends its audit event: all or nothing. */
  insertRegistration(
    registration: NewRegistration,
    event: (head: ChainHead | null) => AuditRow,
  ): Promise<void>;
  /** What the token endpoint checks and needs, read in one query. */
  tokenClient(clientId: string): Promise<TokenClient | null>;
  /** Stores an issued token and bumps its registration's counter: all or nothing. */
  insertToken(token: NewToken): Promise<void>;
  /** Whose client this is and whether its statement still stands (protected resources, introspection). */
  resourceClient(clientId: string): Promise<ResourceClient | null>;
  /**
   * Takes one request from the shared token bucket of `key` (rate per second, burst): 0 when it may go ahead,
   * else the seconds to wait. A refused request takes nothing.
   */
  takeThrottle(key: string, rate: number, burst: number, nowMs: number): Promise<number>;
  close(): Promise<void>;
}

export type KnownStatement = {
  id: string;
  organizationId: string;
  applicationId: string;
  active: boolean;
  domains: string[];
  scopes: string[];
};

/** A registration as the hot path writes it: the model's row without the columns the database fills in. */
export type NewRegistration = Omit<ClientRegistration, "tokenCount" | "lastTokenAt">;

export type TokenClient = {
  id: string;
  secretHash: string;
  organizationId: string;
  statementActive: boolean;
  lifetimeSeconds: number;
  scopes: string[];
};

export type NewToken = AccessToken;

export type ResourceClient = {
  secretHash: string;
  statementActive: boolean;
  organization: { id: string; slug: string; name: string };
};

/** Throttle rows idle this long are forgotten (a full bucket again, which is what an idle client has anyway). */
export const THROTTLE_IDLE_MS = 60 * 60_000;

/** Token-bucket arithmetic shared by both stores' SQL: seconds to wait for one token at `rate`. */
export const retryAfterSeconds = (tokens: number, rate: number) =>
  Math.max(1, Math.ceil((1 - tokens) / rate));

// Both stores select the same columns under the same names; these turn a row into what the hot path uses.
type Row = Record<string, unknown>;

export const toKnownStatement = (row: Row): KnownStatement => ({
  id: String(row.id),
  organizationId: String(row.organizationId),
  applicationId: String(row.applicationId),
  active: row.status === "ACTIVE",
  domains: JSON.parse(String(row.domains)) as string[],
  scopes: JSON.parse(String(row.scopes)) as string[],
});

export const toTokenClient = (row: Row): TokenClient => ({
  id: String(row.id),
  secretHash: String(row.secretHash),
  organizationId: String(row.organizationId),
  statementActive: row.status === "ACTIVE",
  lifetimeSeconds: Number(row.tokenLifetimeOverride ?? row.tokenLifetimeSeconds),
  scopes: JSON.parse(String(row.scopes)) as string[],
});

export const toResourceClient = (row: Row): ResourceClient => ({
  secretHash: String(row.secretHash),
  statementActive: row.status === "ACTIVE",
  organization: { id: String(row.id), slug: String(row.slug), name: String(row.name) },
});
