-- Webhook fairness: the sender claims round-robin per webhook (status, webhookId, nextAttemptAt) instead of the
-- oldest due across everyone, test events are counted per webhook per minute, and an event past a webhook's
-- backlog cap is recorded as DROPPED.
-- AlterEnum
ALTER TYPE "WebhookDeliveryStatus" ADD VALUE 'DROPPED';

-- DropIndex
DROP INDEX "WebhookDelivery_status_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_webhookId_nextAttemptAt_idx" ON "WebhookDelivery"("status", "webhookId", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_event_createdAt_idx" ON "WebhookDelivery"("webhookId", "event", "createdAt");
