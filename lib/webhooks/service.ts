import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { withAudit } from "@/lib/audit";
import { auditContextOf, requireWrite, type OrgScope } from "@/lib/auth/scope";
import { db, type Tx } from "@/lib/db";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import type { Webhook, WebhookDelivery } from "@/lib/generated/prisma/client";
import { encryptSecret } from "@/lib/keys/encryption";
import { afterCursor, newestFirst, pageQuerySchema, toPage, type Page } from "@/lib/pagination";
import { parseInput } from "@/lib/validation";
import { DestinationRefused, MAX_URL_LENGTH, resolveTarget, webhookUrlProblem } from "./address";
import { assertTestEventAllowed, enqueueWebhookEvent, TEST_EVENT, WEBHOOK_EVENTS } from "./outbox";
import { allowedDestinations } from "./send";

export { WEBHOOK_EVENTS };

/** A signing secret: `whsec_` and 32 random bytes in base64 (the Standard Webhooks form). */
const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

/** How long deliveries keep carrying the replaced secret's signature after a rotation. */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60_000;

/** An organization's webhooks are few: a bound keeps the outbox's per-event fan-out small. */
export const MAX_WEBHOOKS = 10;

export const webhookInputSchema = z.object({
  url: z
    .string({ message: "Enter the URL deliveries are sent to." })
    .trim()
    .min(1, "Enter the URL deliveries are sent to.")
    .max(MAX_URL_LENGTH, `Use a URL of at most ${MAX_URL_LENGTH} characters.`)
    .superRefine((url, ctx) => {
      const problem = webhookUrlProblem(url);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform((url) => new URL(url).href),
  events: z
    .array(z.enum(WEBHOOK_EVENTS, { message: `Choose among ${WEBHOOK_EVENTS.join(", ")}.` }), {
      message: "Choose the events to send.",
    })
    .min(1, "Choose at least one event.")
    .max(WEBHOOK_EVENTS.length)
    .transform((events) => WEBHOOK_EVENTS.filter((e) => events.includes(e))),
});

export type WebhookView = {
  id: string;
  url: string;
  events: string[];
  status: "active" | "paused";
  createdAt: Date;
  createdByEmail: string | null;
};

export type DeliveryView = {
  id: string;
  event: string;
  eventId: string;
  status: "pending" | "delivered" | "failed" | "dropped";
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
};

function toWebhookView(row: Webhook): WebhookView {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    status: row.disabledAt ? "paused" : "active",
    createdAt: row.createdAt,
    createdByEmail: row.createdByEmail,
  };
}

const DELIVERY_STATUS = {
  PENDING: "pending",
  DELIVERED: "delivered",
  FAILED: "failed",
  DROPPED: "dropped",
} as const satisfies Record<WebhookDelivery["status"], DeliveryView["status"]>;

function toDeliveryView(row: WebhookDelivery): DeliveryView {
  return {
    id: row.id,
    event: row.event,
    eventId: row.eventId,
    status: DELIVERY_STATUS[row.status],
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    deliveredAt: row.deliveredAt,
  };
}

/** The organization's webhooks, newest first, each with its latest delivery (one indexed read each). */
export async function listWebhooks(
  scope: OrgScope,
): Promise<(WebhookView & { lastDelivery: DeliveryView | null })[]> {
  const rows = await db.webhook.findMany({
    where: { organizationId: scope.org.id },
    orderBy: newestFirst,
    take: MAX_WEBHOOKS,
  });
  return Promise.all(
    rows.map(async (row) => {
      const last = await db.webhookDelivery.findFirst({ where: { webhookId: row.id }, orderBy: newestFirst });
      return { ...toWebhookView(row), lastDelivery: last && toDeliveryView(last) };
    }),
  );
}

/** The organization's webhook `id`; another organization's is "not found". */
async function findWebhook(tx: Tx | typeof db, scope: OrgScope, id: string): Promise<Webhook> {
  const row = await tx.webhook.findFirst({ where: { id: String(id), organizationId: scope.org.id } });
  if (!row) throw new NotFoundError("Webhook");
  return row;
}

export async function getWebhook(scope: OrgScope, id: string): Promise<WebhookView> {
  return toWebhookView(await findWebhook(db, scope, id));
}

/**
 * Adds a webhook. Its signing secret is returned this once: only an encrypted copy is kept (signing needs the
 * secret itself, so a hash would not do), and the audit event records the URL and events, never the secret.
 */
export async function createWebhook(
  scope: OrgScope,
  input: unknown,
): Promise<WebhookView & { secret: string }> {
  requireWrite(scope);
  const { url, events } = parseInput(webhookInputSchema, input);
  await refuseNonPublic(url);
  const secret = newSecret();
  const { user } = scope.caller;
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    if ((await tx.webhook.count({ where: { organizationId: scope.org.id } })) >= MAX_WEBHOOKS)
      throw new ConflictError(`An organization has at most ${MAX_WEBHOOKS} webhooks: delete one first.`);
    const row = await tx.webhook.create({
      data: {
        organizationId: scope.org.id,
        url,
        events: JSON.stringify(events),
        secretEncrypted: encryptSecret(secret),
        createdById: user.id,
        createdByEmail: user.email,
      },
    });
    await audit({
      action: "webhook.created",
      organizationId: scope.org.id,
      targetType: "webhook",
      targetId: row.id,
      after: { url, events },
    });
    return { ...toWebhookView(row), secret };
  });
}

/**
 * A URL whose host is (or resolves to) a private address is refused when it is added, as well as at each send
 * (lib/webhooks/send.ts, which is what protects). A name that does not resolve yet is accepted: its
 * deliveries will say so.
 */
async function refuseNonPublic(url: string) {
  try {
    await resolveTarget(new URL(url), allowedDestinations());
  } catch (error) {
    if (error instanceof DestinationRefused)
      throw new ValidationError(error.message, { url: [error.message] });
  }
}

/** Deletes a webhook and its delivery log; deliveries not yet sent are not sent. */
export async function deleteWebhook(scope: OrgScope, id: string): Promise<void> {
  requireWrite(scope);
  await withAudit(auditContextOf(scope), async (tx, audit) => {
    const row = await findWebhook(tx, scope, id);
    await tx.webhook.delete({ where: { id: row.id } });
    await audit({
      action: "webhook.deleted",
      organizationId: scope.org.id,
      targetType: "webhook",
      targetId: row.id,
      before: { url: row.url, events: JSON.parse(row.events) as string[] },
    });
  });
}

export const webhookEnabledSchema = z.object({
  enabled: z.boolean({ message: "Say whether the webhook is on: true or false." }),
});

/**
 * Pauses or resumes a webhook (audited). Paused, no event is queued for it and what was already queued waits,
 * unsent; resumed, that is sent at the next pass and new events are queued again.
 */
export async function setWebhookEnabled(scope: OrgScope, id: string, input: unknown): Promise<WebhookView> {
  requireWrite(scope);
  const { enabled } = parseInput(webhookEnabledSchema, input);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const before = await findWebhook(tx, scope, id);
    if (!before.disabledAt === enabled) return toWebhookView(before);
    const row = await tx.webhook.update({
      where: { id: before.id },
      data: { disabledAt: enabled ? null : new Date() },
    });
    await audit({
      action: enabled ? "webhook.enabled" : "webhook.disabled",
      organizationId: scope.org.id,
      targetType: "webhook",
      targetId: row.id,
      before: { status: toWebhookView(before).status },
      after: { status: toWebhookView(row).status },
    });
    return toWebhookView(row);
  });
}

/**
 * A new signing secret, returned this once (after a leak, or routinely). For ROTATION_OVERLAP_MS deliveries are
 * signed with both, so the receiver can switch without missing one; then only the new one signs. Audited, never
 * with either secret.
 */
export async function rotateWebhookSecret(
  scope: OrgScope,
  id: string,
): Promise<WebhookView & { secret: string }> {
  requireWrite(scope);
  const secret = newSecret();
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const before = await findWebhook(tx, scope, id);
    const previousSecretUntil = new Date(Date.now() + ROTATION_OVERLAP_MS);
    const row = await tx.webhook.update({
      where: { id: before.id },
      data: {
        secretEncrypted: encryptSecret(secret),
        previousSecretEncrypted: before.secretEncrypted,
        previousSecretUntil,
      },
    });
    await audit({
      action: "webhook.secret_rotated",
      organizationId: scope.org.id,
      targetType: "webhook",
      targetId: row.id,
      after: { previousSecretValidUntil: previousSecretUntil.toISOString() },
    });
    return { ...toWebhookView(row), secret };
  });
}

/**
 * A `webhook.test` event for this webhook alone, sent like any other (audited): a few a minute at most
 * (RateLimitedError beyond). Its status says whether it was queued, or dropped because the backlog is full.
 */
export async function sendTestEvent(
  scope: OrgScope,
  id: string,
): Promise<{ eventId: string; status: "pending" | "dropped" }> {
  requireWrite(scope);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const row = await findWebhook(tx, scope, id);
    if (row.disabledAt) throw new ConflictError("This webhook is paused: resume it to send a test event.");
    await assertTestEventAllowed(tx, row.id);
    const { eventId, droppedFor } = (await enqueueWebhookEvent(
      tx,
      scope.org,
      TEST_EVENT,
      { webhook: { id: row.id } },
      row.id,
    ))!;
    await audit({
      action: "webhook.test_sent",
      organizationId: scope.org.id,
      targetType: "webhook",
      targetId: row.id,
      after: { eventId },
    });
    return { eventId, status: droppedFor.length > 0 ? "dropped" : "pending" };
  });
}

/** A webhook's delivery log, newest first, a page at a time. */
export async function listDeliveries(
  scope: OrgScope,
  id: string,
  query: unknown = {},
): Promise<Page<DeliveryView>> {
  const { limit, cursor } = parseInput(pageQuerySchema, query, "Invalid paging parameters.");
  const webhook = await findWebhook(db, scope, id);
  const rows = await db.webhookDelivery.findMany({
    where: { webhookId: webhook.id, ...afterCursor(cursor) },
    orderBy: newestFirst,
    take: limit + 1,
  });
  const page = toPage(rows, limit);
  return { ...page, items: page.items.map(toDeliveryView) };
}

/**
 * "Retry now": a failed delivery gets one more attempt, sent at the next pass (audited). A delivery still pending
 * or already delivered is a conflict; another webhook's, or another organization's, is "not found".
 */
export async function retryDelivery(
  scope: OrgScope,
  webhookId: string,
  deliveryId: string,
): Promise<DeliveryView> {
  requireWrite(scope);
  return withAudit(auditContextOf(scope), async (tx, audit) => {
    const webhook = await findWebhook(tx, scope, webhookId);
    const before = await tx.webhookDelivery.findFirst({
      where: { id: String(deliveryId), webhookId: webhook.id },
    });
    if (!before) throw new NotFoundError("Delivery");
    const { count } = await tx.webhookDelivery.updateMany({
      where: { id: before.id, status: "FAILED" },
      data: { status: "PENDING", nextAttemptAt: new Date() },
    });
    if (count === 0)
      throw new ConflictError(
        `This delivery is ${toDeliveryView(before).status}: only a failed one can be retried.`,
      );
    await audit({
      action: "webhook.delivery_retried",
      organizationId: scope.org.id,
      targetType: "webhook",
      targetId: webhook.id,
      after: { deliveryId: before.id, event: before.event, eventId: before.eventId },
    });
    return toDeliveryView(await tx.webhookDelivery.findUniqueOrThrow({ where: { id: before.id } }));
  });
}
