import { json, orgRoute, readJson } from "@/lib/api/handler";
import { deleteWebhook, getWebhook, setWebhookEnabled } from "@/lib/webhooks/service";

export const GET = orgRoute<{ org: string; id: string }>(async ({ params, scope }) =>
  json(await getWebhook(scope, params.id)),
);

/** Deletes the webhook and its delivery log → 204. */
export const DELETE = orgRoute<{ org: string; id: string }>(async ({ params, scope }) => {
  await deleteWebhook(scope, params.id);
  return new Response(null, { status: 204 });
});

/** `{ enabled: true|false }`: resumes or pauses the webhook → 200 with the webhook. */
export const PATCH = orgRoute<{ org: string; id: string }>(async ({ request, params, scope }) =>
  json(await setWebhookEnabled(scope, params.id, await readJson(request))),
);
