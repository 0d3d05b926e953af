import { StatusBadge } from "@/components/status-badge";
import type { DeliveryView } from "@/lib/webhooks/service";

/** A delivery's status in words: delivered, failed, or pending (retrying after a failure). */
export function DeliveryStatus({ delivery }: { delivery: Pick<DeliveryView, "status" | "attempts"> }) {
  if (delivery.status === "delivered") return <StatusBadge status="active" label="Delivered" />;
  if (delivery.status === "failed") return <StatusBadge status="revoked" label="Failed" />;
  return <StatusBadge status="neutral" label={delivery.attempts > 0 ? "Retrying" : "Pending"} />;
}
