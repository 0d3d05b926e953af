import { randomUUID } from "node:crypto";
import { canonicalJson } from "./canonical";
import { chainOf, GENESIS_HASH, hashEvent, type HashedEvent } from "./chain";
import { redactSecrets } from "./redact";

/** Who did it. A representative acting for an organization is recorded as themselves, `actingFor: true`. */
export type AuditActor = {
  userId: string | null;
  email: string | null;
  role: string | null;
  actingFor: boolean;
};

/** Where it came from. */
export type RequestMeta = { requestId: string | null; ip: string | null; userAgent: string | null };

export type AuditContext = { actor: AuditActor; request: RequestMeta };

export type AuditEntry = {
  action: string;
  /** The organization whose chain records it; `null` for platform-wide events. */
  organizationId: string | null;
  targetType?: string;
  targetId?: string;
  /** Snapshots of the target; secret fields are redacted before they are stored. */
  before?: unknown;
  after?: unknown;
};

/** The newest event of a chain, which the next one links to. */
export type ChainHead = { seq: number; hash: string };

export type AuditRow = HashedEvent & { hash: string };

const MAX_UA = 512;

/**
 * The row that appends `entry` after `head` on its chain, hash included. Pure: the caller reads the head and
 * inserts the row in one transaction (lib/audit/record.ts through Prisma, lib/dcr/store on the hot path).
 */
export function nextAuditEvent(ctx: AuditContext, entry: AuditEntry, head: ChainHead | null): AuditRow {
  const event: HashedEvent = {
    id: randomUUID(),
    chain: chainOf(entry.organizationId),
    seq: (head?.seq ?? 0) + 1,
    createdAt: new Date(),
    organizationId: entry.organizationId,
    actorUserId: ctx.actor.userId,
    actorEmail: ctx.actor.email,
    actorRole: ctx.actor.role,
    actingFor: ctx.actor.actingFor,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    before: entry.before === undefined ? null : canonicalJson(redactSecrets(entry.before)),
    after: entry.after === undefined ? null : canonicalJson(redactSecrets(entry.after)),
    requestId: ctx.request.requestId,
    ip: ctx.request.ip,
    userAgent: ctx.request.userAgent?.slice(0, MAX_UA) ?? null,
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  return { ...event, hash: hashEvent(event) };
}
