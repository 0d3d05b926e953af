import { v7 as timeOrderedId } from "uuid";
import { storableText } from "@/lib/text";
import { canonicalJson } from "./canonical";
import { GENESIS_HASH, hashEvent, type HashedEvent } from "./chain";
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

/** When and under which id an event is recorded: fresh for every event, fixed only by tests. */
export type EventStamp = { id: string; createdAt: Date };

const text = (value: string | null | undefined) => (value == null ? null : storableText(value));

/**
 * The row that appends `entry` after `head` on `chain`, hash included. Pure: lib/audit/append.ts picks the
 * chain, reads its head and inserts the row in one transaction. Text is made storable before it is hashed, so
 * the hash covers exactly what the database keeps.
 */
export function nextAuditEvent(
  chain: string,
  ctx: AuditContext,
  entry: AuditEntry,
  head: ChainHead | null,
  // Time-ordered (UUIDv7), as the hot path's rows are: each event lands at the end of the primary key's index,
  // not on a random page of an index that grows by every registration.
  stamp: EventStamp = { id: timeOrderedId(), createdAt: new Date() },
): AuditRow {
  const event: HashedEvent = {
    id: stamp.id,
    chain,
    seq: (head?.seq ?? 0) + 1,
    createdAt: stamp.createdAt,
    organizationId: entry.organizationId,
    actorUserId: text(ctx.actor.userId),
    actorEmail: text(ctx.actor.email),
    actorRole: text(ctx.actor.role),
    actingFor: ctx.actor.actingFor,
    action: storableText(entry.action),
    targetType: text(entry.targetType),
    targetId: text(entry.targetId),
    before: entry.before === undefined ? null : storableText(canonicalJson(redactSecrets(entry.before))),
    after: entry.after === undefined ? null : storableText(canonicalJson(redactSecrets(entry.after))),
    requestId: text(ctx.request.requestId),
    ip: text(ctx.request.ip),
    userAgent: text(ctx.request.userAgent?.slice(0, MAX_UA)),
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  return { ...event, hash: hashEvent(event) };
}
