import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { StatusBadge } from "@/components/status-badge";
import { Time } from "@/components/time";
import { Card, CardHeader } from "@/components/ui/card";
import { listWebhooks, WEBHOOK_EVENTS } from "@/lib/webhooks/service";
import { scopedPage } from "../../scoped-page";
import { CreateWebhookForm } from "./create-webhook-form";
import { DeliveryStatus } from "./delivery-status";
import {
  DeleteWebhookButton,
  PauseWebhookButton,
  RotateSecretButton,
  SendTestButton,
} from "./webhook-buttons";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  return scopedPage(async (scope) => {
    const webhooks = await listWebhooks(scope);
    return (
      <>
        <Card>
          <CardHeader
            title="Webhooks"
            description="HTTPS endpoints told when a statement is revoked, replaced or uploaded: signed POSTs, retried with back-off. Verify each with its Webhook-Signature header: the base64 HMAC-SHA256, keyed with the secret, of its Webhook-Id, Webhook-Timestamp and body joined by dots."
          />
          {webhooks.length === 0 ? (
            <div className="p-5">
              <EmptyState title="No webhooks">
                Add one to hear of a revocation the moment it happens.
              </EmptyState>
            </div>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {webhooks.map((w) => (
                <li
                  key={w.id}
                  data-testid="webhook"
                  className="flex flex-wrap items-center justify-between gap-3 px-5 py-3 text-sm"
                >
                  <div className="min-w-0">
                    <p className="font-medium break-all">
                      {w.url}{" "}
                      <StatusBadge
                        status={w.status === "active" ? "active" : "neutral"}
                        label={w.status === "active" ? "Active" : "Paused"}
                      />
                    </p>
                    <p className="text-xs text-zinc-500">
                      {w.events.join(", ")} · added <Time date={w.createdAt} />
                      {w.createdByEmail && ` by ${w.createdByEmail}`}
                    </p>
                    <p className="mt-1 flex items-center gap-2 text-xs text-zinc-500">
                      {w.lastDelivery ? (
                        <>
                          Last delivery: <DeliveryStatus delivery={w.lastDelivery} />
                          <code className="font-mono">{w.lastDelivery.event}</code>
                          <Time date={w.lastDelivery.createdAt} />
                        </>
                      ) : (
                        "No deliveries yet"
                      )}
                      ·{" "}
                      <Link href={`/settings/webhooks/${w.id}`} className="text-indigo-600 hover:underline">
                        Delivery log
                      </Link>
                    </p>
                  </div>
                  {scope.canWrite && (
                    <div className="flex flex-wrap justify-end gap-2">
                      {w.status === "active" && <SendTestButton id={w.id} />}
                      <PauseWebhookButton id={w.id} paused={w.status !== "active"} url={w.url} />
                      <RotateSecretButton id={w.id} url={w.url} />
                      <DeleteWebhookButton id={w.id} url={w.url} />
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Card>
        {scope.canWrite && (
          <Card className="mt-6">
            <CardHeader
              title="Add a webhook"
              description="Deliveries are signed with a secret shown once, after adding: keep it with the receiver."
            />
            <CreateWebhookForm events={WEBHOOK_EVENTS} />
          </Card>
        )}
      </>
    );
  });
}
