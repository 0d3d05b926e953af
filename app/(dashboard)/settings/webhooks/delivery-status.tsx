import { StatusBadge } from "@/components/status-badge";
import type { DeliveryView } from "@/lib/webhooks/service";

/**
 * A delivery's status in words: delivered, failed, dropped (never queued: the backlog was full), or pending
 * (retrying after a failure).
 */
export function DeliveryStatus({ delivery }: { delivery: Pick<DeliveryView, "status" | "attempts"> }) {
  if (delivery.status === "delivered") return <StatusBadge status="active" label="Delivered" />;
  if (delivery.status === "failed") return <StatusBadge status="revoked" label="Failed" />;
  if (delivery.status === "dropped") return <StatusBadge status="revoked" label="Dropped" />;
  return <StatusBadge status="neutral" label={delivery.attempts > 0 ? "Retrying" : "Pending"} />;
}
