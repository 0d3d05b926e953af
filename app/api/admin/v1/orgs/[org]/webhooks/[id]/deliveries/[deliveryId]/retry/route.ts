import { json, orgRoute } from "@/lib/api/handler";
import { retryDelivery } from "@/lib/webhooks/service";

/** One more attempt for a failed delivery → 202 with the delivery, pending again (409 if it has not failed). */
export const POST = orgRoute<{ org: string; id: string; deliveryId: string }>(async ({ params, scope }) =>
  json(await retryDelivery(scope, params.id, params.deliveryId), 202),
);
