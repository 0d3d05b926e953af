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

export function hashEvent(event: HashedEvent): string {
  const body: HashedEvent = {
    id: event.id,
    chain: event.chain,
    seq: event.seq,
    createdAt: event.createdAt,
    organizationId: event.organizationId,
    actorUserId: event.actorUserId,
    actorEmail: event.actorEmail,
    actorRole: event.actorRole,
    actingFor: event.actingFor,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId,
    before: event.before,
    after: event.after,
    requestId: event.requestId,
    ip: event.ip,
    userAgent: event.userAgent,
    prevHash: event.prevHash,
  };
  return createHash("sha256").update(event.prevHash).update("\n").update(canonicalJson(body)).digest("hex");
}
