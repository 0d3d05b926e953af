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

export function chainOf(organizationId: string | null): string {
  return organizationId ? `org:${organizationId}` : "platform";
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
