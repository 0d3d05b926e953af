import "server-only";
import { randomUUID } from "node:crypto";
import type { OrgRef } from "@/lib/auth/scope";
import { dbProvider, type Tx } from "@/lib/db";
import { RateLimitedError } from "@/lib/errors";
import type { StatementView } from "@/lib/statements/records";

/** The events an organization may subscribe a webhook to (docs/webhooks.md). */
export const WEBHOOK_EVENTS = ["statement.revoked", "statement.replaced", "statement.uploaded"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Sent to one webhook on request ("Send test event"), whatever it subscribed to. */
export const TEST_EVENT = "webhook.test";

/**
 * Undelivered deliveries a webhook may have waiting (pending: due, or retrying). A receiver that is down for a
 * day would otherwise collect every event of that day, each tried six times: past the cap an event is recorded
 * in the webhook's log as dropped, and nothing is queued.
 */
export const MAX_BACKLOG = 1_000;
const BACKLOG_FULL = `Dropped: ${MAX_BACKLOG.toLocaleString("en")} deliveries were already waiting to be sent to this webhook (its receiver is not keeping up), so this event was not queued.`;

/** "Send test event" per webhook per minute: each one queues an attempt, whatever the receiver does with it. */
export const TEST_EVENTS_PER_MINUTE = 5;
const MINUTE_MS = 60_000;

/** What a delivery says of a statement: never its JWT (the token clients register with). */
export function statementEventData(v: StatementView) {
  return {
    id: v.id,
    applicationId: v.applicationId,
    applicationName: v.applicationName,
    status: v.status,
    fingerprint: v.fingerprint,
    issuer: v.issuer,
    subject: v.subject,
    origin: v.origin,
    createdAt: v.createdAt.toISOString(),
    revokedAt: v.revokedAt?.toISOString() ?? null,
    revokedReason: v.revokedReason,
  };
}

/**
 * The outbox: one pending delivery per enabled webhook of the organization subscribed to `type` (or just
 * `onlyWebhookId`), written on the transaction that makes the event. A committed revocation is always told, a
 * rolled-back one never is; lib/webhooks/sender.ts sends them after the commit. A webhook whose backlog is full
 * gets a dropped delivery instead. Returns the event's id and the webhooks it was dropped for, or null when no
 * webhook wanted it.
 */
export async function enqueueWebhookEvent(
  tx: Tx,
  org: OrgRef,
  type: WebhookEvent | typeof TEST_EVENT,
  data: Record<string, unknown>,
  onlyWebhookId?: string,
): Promise<{ eventId: string; droppedFor: string[] } | null> {
  const hooks = await tx.webhook.findMany({
    where: { organizationId: org.id, disabledAt: null, ...(onlyWebhookId && { id: onlyWebhookId }) },
    select: { id: true, events: true },
  });
  const targets = onlyWebhookId
    ? hooks
    : hooks.filter((h) => (JSON.parse(h.events) as string[]).includes(type));
  if (targets.length === 0) return null;
  const eventId = `evt_${randomUUID()}`;
  const now = new Date();
  const payload = JSON.stringify({
    id: eventId,
    type,
    createdAt: now.toISOString(),
    organization: { id: org.id, slug: org.slug },
    data,
  });
  const droppedFor: string[] = [];
  for (const h of targets) if (await backlogFull(tx, h.id)) droppedFor.push(h.id);
  await tx.webhookDelivery.createMany({
    data: targets.map((h) => ({
      webhookId: h.id,
      organizationId: org.id,
      event: type,
      eventId,
      payload,
      createdAt: now,
      ...(droppedFor.includes(h.id)
        ? { status: "DROPPED" as const, nextAttemptAt: null, lastError: BACKLOG_FULL }
        : { nextAttemptAt: now }),
    })),
  });
  return { eventId, droppedFor };
}

/**
 * Whether the webhook already has MAX_BACKLOG undelivered deliveries: a seek in (status, webhookId,
 * nextAttemptAt) that counts no further than the cap, however long the log.
 */
async function backlogFull(tx: Tx, webhookId: string): Promise<boolean> {
  const waiting = await tx.webhookDelivery.count({
    where: { status: "PENDING", webhookId },
    take: MAX_BACKLOG,
  });
  return waiting >= MAX_BACKLOG;
}

/**
 * Refuses a test event while the webhook had TEST_EVENTS_PER_MINUTE in the last minute (queued or dropped),
 * saying when the oldest of them leaves the window. Counted in the database (a seek in (webhookId, event,
 * createdAt)), so the limit holds across instances.
 */
export async function assertTestEventAllowed(tx: Tx, webhookId: string, now = new Date()): Promise<void> {
  // PostgreSQL: concurrent test sends for one webhook queue on its row, so each counts those before it. (SQLite
  // has one writer at a time, and a transaction that read before another's write retries in withAudit.)
  if (dbProvider === "postgresql")
    await tx.$queryRaw`SELECT "id" FROM "Webhook" WHERE "id" = ${webhookId} FOR UPDATE`;
  const recent = await tx.webhookDelivery.findMany({
    where: { webhookId, event: TEST_EVENT, createdAt: { gt: new Date(now.getTime() - MINUTE_MS) } },
    orderBy: { createdAt: "desc" },
    take: TEST_EVENTS_PER_MINUTE,
    select: { createdAt: true },
  });
  if (recent.length < TEST_EVENTS_PER_MINUTE) return;
  const seconds = Math.max(
    1,
    Math.ceil((recent.at(-1)!.createdAt.getTime() + MINUTE_MS - now.getTime()) / 1000),
  );
  throw new RateLimitedError(
    `This webhook was sent ${TEST_EVENTS_PER_MINUTE} test events in the last minute: try again in ${seconds} s.`,
    seconds,
  );
}
