import "server-only";
import { db } from "@/lib/db";
import { send, type Outcome } from "./send";

/**
 * The outbox's side of sending (lib/webhooks/outbox.ts writes the rows): which deliveries are due, claiming
 * one, and recording an attempt's outcome with back-off. lib/webhooks/sender.ts decides what to claim and when.
 *
 * Every read here is a seek in the (status, webhookId, nextAttemptAt) index, so its cost does not grow with the
 * table: the sender walks the webhooks that have something pending, one seek each, and takes a few of each
 * one's due deliveries, oldest first. No query orders everyone's deliveries together: that is what let one
 * organization's backlog stand in front of another's.
 */

/** After attempt n fails, the next comes RETRY_DELAYS_MS[n - 1] later (±10 %); after the last, it has failed. */
export const RETRY_DELAYS_MS = [30_000, 120_000, 600_000, 3_600_000, 21_600_000];
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
/** How long a claimed delivery is left alone by other senders: longer than an attempt can take. */
const LEASE_MS = 60_000;
const MAX_ERROR = 500;

export type Claim = { id: string; webhookId: string; lease: Date };

/** The first webhook, by id after `after`, with a pending delivery (due or waiting for a retry). */
export function nextWebhookWithPending(after: string) {
  return db.webhookDelivery.findFirst({
    where: { status: "PENDING", webhookId: { gt: after } },
    orderBy: { webhookId: "asc" },
    select: { webhookId: true, organizationId: true },
  });
}

/**
 * Claims up to `limit` of the webhook's due deliveries, oldest first. A claim moves `nextAttemptAt` forward
 * only if it is still the value read (compare-and-set), so two processes or instances never send the same
 * attempt; one that dies mid-send leaves the claim to expire, and the attempt is made again (receivers dedupe
 * on Webhook-Id). A paused webhook's deliveries are not due: they wait, unsent, until it is resumed.
 */
export async function claimDue(webhookId: string, now: Date, limit: number): Promise<Claim[]> {
  const due = await db.webhookDelivery.findMany({
    where: { status: "PENDING", webhookId, nextAttemptAt: { lte: now }, webhook: { disabledAt: null } },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
    select: { id: true, nextAttemptAt: true },
  });
  const lease = new Date(now.getTime() + LEASE_MS);
  const claimed = await Promise.all(
    due.map(async ({ id, nextAttemptAt }) => {
      const { count } = await db.webhookDelivery.updateMany({
        where: { id, status: "PENDING", nextAttemptAt },
        data: { nextAttemptAt: lease },
      });
      return count === 1 ? { id, webhookId, lease } : null;
    }),
  );
  return claimed.filter((c) => c !== null);
}

/** Sends a claimed delivery and records the outcome: delivered, retried later, or failed for good. */
export async function attempt({ id, lease }: Claim, now: Date): Promise<void> {
  const delivery = await db.webhookDelivery.findUnique({ where: { id }, include: { webhook: true } });
  if (!delivery) return; // its webhook was deleted meanwhile
  if (delivery.webhook.disabledAt) {
    // Paused between the read and the claim: hand the claim back, to be sent once resumed.
    await db.webhookDelivery.updateMany({
      where: { id, nextAttemptAt: lease },
      data: { nextAttemptAt: now },
    });
    return;
  }
  // Whatever goes wrong is this attempt's failure, in the log: never a claim left to expire over and over.
  const outcome: Outcome = await send(delivery.webhook, delivery.eventId, delivery.payload).catch(
    (error: unknown): Outcome => ({ ok: false, statusCode: null, error: (error as Error).message }),
  );
  const attempts = delivery.attempts + 1;
  const gaveUp = !outcome.ok && attempts >= MAX_ATTEMPTS;
  await db.webhookDelivery.updateMany({
    where: { id, nextAttemptAt: lease },
    data: {
      attempts,
      status: outcome.ok ? "DELIVERED" : gaveUp ? "FAILED" : "PENDING",
      nextAttemptAt: outcome.ok || gaveUp ? null : new Date(now.getTime() + retryDelay(attempts)),
      lastStatusCode: outcome.statusCode,
      lastError: outcome.error?.slice(0, MAX_ERROR) ?? null,
      deliveredAt: outcome.ok ? new Date() : null,
    },
  });
}

/** The wait after failed attempt `n`, with ±10 % jitter so that retries to one receiver do not arrive as one. */
export function retryDelay(n: number, random = Math.random()): number {
  const base = RETRY_DELAYS_MS[Math.min(n, RETRY_DELAYS_MS.length) - 1]!;
  return Math.round(base * (0.9 + 0.2 * random));
}
