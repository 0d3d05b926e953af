import { json, orgRoute } from "@/lib/api/handler";
import { sendTestEvent } from "@/lib/webhooks/service";

/** Queues a `webhook.test` delivery to this webhook → 202 with its event id. */
export const POST = orgRoute<{ org: string; id: string }>(async ({ params, scope }) =>
  json(await sendTestEvent(scope, params.id), 202),
);
