import "server-only";
import { randomUUID } from "node:crypto";
import type { OrgRef } from "@/lib/auth/scope";
import type { Tx } from "@/lib/db";
import type { StatementView } from "@/lib/statements/records";

/** The events an organization may subscribe a webhook to (docs/webhooks.md). */
export const WEBHOOK_EVENTS = ["statement.revoked", "statement.replaced", "statement.uploaded"] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
/** Sent to one webhook on request ("Send test event"), whatever it subscribed to. */
export const TEST_EVENT = "webhook.test";

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
 * rolled-back one never is; lib/webhooks/deliver.ts sends them after the commit. Returns the event's id, or null
 * when no webhook wanted it.
 */
export async function enqueueWebhookEvent(
  tx: Tx,
  org: OrgRef,
  type: WebhookEvent | typeof TEST_EVENT,
  data: Record<string, unknown>,
  onlyWebhookId?: string,
): Promise<string | null> {
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
  await tx.webhookDelivery.createMany({
    data: targets.map((h) => ({
      webhookId: h.id,
      organizationId: org.id,
      event: type,
      eventId,
      payload,
      nextAttemptAt: now,
    })),
  });
  return eventId;
}
