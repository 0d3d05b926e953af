import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical";

/** The `prevHash` of the first event of every chain. */
export const GENESIS_HASH = "0".repeat(64);

/** The fields an event's hash covers: everything it stores except the hash itself. */
export type HashedEvent = {
  id: string;
  chain: string;
  seq: number;
  createdAt: Date;
  organizationId: string | null;
  actorUserId: string | null;
  actorEmail: string | null;
  actorRole: string | null;
  actingFor: boolean;
  action: string;
  targetType: string | null;
  targetId: string | null;
  before: string | null;
  after: string | null;
  requestId: string | null;
  ip: string | null;
  userAgent: string | null;
  prevHash: string;
};

/**
 * The lanes of an organization's client events. What the client-facing endpoints record (registrations,
 * audited refusals) is appended by their group commits, a batch at a time, each batch on one lane picked at
 * random (always lane 0 on SQLite, which has one writer anyway): concurrent batches of one organization, on
 * one instance or several, seldom wait for each other's chain lock, where one chain made them commit one after
 * the other. What people do in the console stays on the organization's own chain.
 */
export const CLIENT_LANES = 8;

/** The chain an event joins: the organization's own, one of its client lanes, or the platform's. */
export function chainOf(organizationId: string | null, lane?: number): string {
  if (!organizationId) return "platform";
  return lane === undefined ? `org:${organizationId}` : `org:${organizationId}:clients:${lane}`;
}

/** The client lane a chain is, or `null` for an organization's own chain and the platform's. */
export function laneOf(chain: string): number | null {
  const lane = /:clients:(\d+)$/.exec(chain)?.[1];
  return lane === undefined ? null : Number(lane);
}

/** Every chain that may hold an organization's events (the platform's alone for `null`), in name order. */
export function chainsOf(organizationId: string | null): string[] {
  if (!organizationId) return [chainOf(null)];
  const lanes = Array.from({ length: CLIENT_LANES }, (_, lane) => chainOf(organizationId, lane));
  return [chainOf(organizationId), ...lanes].sort();
}

/** Every stored field of an event but its hash, which covers them all. */
export const HASHED_FIELDS = [
  "id",
  "chain",
  "seq",
  "createdAt",
  "organizationId",
  "actorUserId",
  "actorEmail",
  "actorRole",
  "actingFor",
  "action",
  "targetType",
  "targetId",
  "before",
  "after",
  "requestId",
  "ip",
  "userAgent",
  "prevHash",
] as const satisfies readonly (keyof HashedEvent)[];

export function hashEvent(event: HashedEvent): string {
  const body = Object.fromEntries(HASHED_FIELDS.map((field) => [field, event[field]]));
  return createHash("sha256").update(event.prevHash).update("\n").update(canonicalJson(body)).digest("hex");
}
