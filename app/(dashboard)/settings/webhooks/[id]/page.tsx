import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { Pager } from "@/components/pager";
import { Time } from "@/components/time";
import { Card, CardHeader } from "@/components/ui/card";
import { CELL, ROW, TableHead, TableScroll } from "@/components/ui/table";
import { isValidCursor } from "@/lib/pagination";
import { MAX_BACKLOG } from "@/lib/webhooks/outbox";
import { getWebhook, listDeliveries } from "@/lib/webhooks/service";
import { scopedPage } from "../../../scoped-page";
import { DeliveryStatus } from "../delivery-status";
import { RetryDeliveryButton } from "../webhook-buttons";

export const metadata: Metadata = { title: "Webhook deliveries" };

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function WebhookDeliveriesPage({ params, searchParams }: Props) {
  const { id } = await params;
  const raw = (await searchParams).cursor;
  const cursor = (Array.isArray(raw) ? raw[0] : raw) || undefined;
  const validCursor = isValidCursor(cursor) ? cursor : undefined;
  return scopedPage(async (scope) => {
    const [webhook, page] = await Promise.all([
      getWebhook(scope, id),
      listDeliveries(scope, id, { cursor: validCursor, limit: 25 }),
    ]);
    return (
      <Card>
        <CardHeader
          title={`Deliveries to ${webhook.url}`}
          description={`Newest first. A failed attempt is retried after 30 s, 2 min, 10 min, 1 h and 6 h. An event that finds ${MAX_BACKLOG.toLocaleString("en")} deliveries already waiting is dropped, not queued.`}
          action={
            <Link href="/settings/webhooks" className="text-sm text-indigo-600 hover:underline">
              All webhooks
            </Link>
          }
        />
        {page.items.length === 0 ? (
          <div className="p-5">
            <EmptyState title="No deliveries yet">
              Events this webhook subscribed to ({webhook.events.join(", ")}) show here once they happen.
            </EmptyState>
          </div>
        ) : (
          <TableScroll>
            <table className="w-full text-left text-sm">
              <TableHead
                columns={["Event", "Status", "Attempts", "Response", "Next attempt", "Created", "Delivered"]}
              />
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {page.items.map((d) => (
                  <tr key={d.id} className={ROW} data-testid="delivery">
                    <td className={CELL}>
                      <code className="font-mono text-xs">{d.event}</code>
                    </td>
                    <td className={CELL}>
                      <div className="flex items-center gap-2">
                        <DeliveryStatus delivery={d} />
                        {d.status === "failed" && scope.canWrite && (
                          <RetryDeliveryButton webhookId={webhook.id} deliveryId={d.id} />
                        )}
                      </div>
                    </td>
                    <td className={CELL}>{d.attempts}</td>
                    <td className={`${CELL} max-w-xs break-words text-xs`}>
                      {d.lastStatusCode ?? ""} {d.lastError ?? (d.lastStatusCode ? "" : "—")}
                    </td>
                    <td className={CELL}>{d.nextAttemptAt ? <Time date={d.nextAttemptAt} /> : "—"}</td>
                    <td className={CELL}>
                      <Time date={d.createdAt} />
                    </td>
                    <td className={CELL}>{d.deliveredAt ? <Time date={d.deliveredAt} /> : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        <Pager
          basePath={`/settings/webhooks/${webhook.id}`}
          params={{}}
          nextCursor={page.nextCursor}
          hasCursor={Boolean(validCursor)}
        />
      </Card>
    );
  });
}
