-- Webhook fairness: the sender claims round-robin per webhook (status, webhookId, nextAttemptAt) instead of the
-- oldest due across everyone, and test events are counted per webhook per minute. The new DROPPED status needs
-- nothing here: SQLite keeps enums as text.
-- DropIndex
DROP INDEX "WebhookDelivery_status_nextAttemptAt_idx";

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_webhookId_nextAttemptAt_idx" ON "WebhookDelivery"("status", "webhookId", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_event_createdAt_idx" ON "WebhookDelivery"("webhookId", "event", "createdAt");
