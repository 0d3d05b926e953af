import { json, orgRoute } from "@/lib/api/handler";
import { deleteWebhook, getWebhook } from "@/lib/webhooks/service";

export const GET = orgRoute<{ org: string; id: string }>(async ({ params, scope }) =>
  json(await getWebhook(scope, params.id)),
);

/** Deletes the webhook and its delivery log → 204. */
export const DELETE = orgRoute<{ org: string; id: string }>(async ({ params, scope }) => {
  await deleteWebhook(scope, params.id);
  return new Response(null, { status: 204 });
});
