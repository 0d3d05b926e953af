import { json, orgRoute } from "@/lib/api/handler";
import { rotateWebhookSecret } from "@/lib/webhooks/service";

/** A new signing secret → 200 with the webhook and its `secret` (this once); the old one signs for 24 h more. */
export const POST = orgRoute<{ org: string; id: string }>(async ({ params, scope }) =>
  json(await rotateWebhookSecret(scope, params.id)),
);
