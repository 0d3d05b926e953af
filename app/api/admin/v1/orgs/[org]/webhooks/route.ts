import { json, orgRoute, readJson } from "@/lib/api/handler";
import { createWebhook, listWebhooks } from "@/lib/webhooks/service";

export const GET = orgRoute(async ({ scope }) =>
  json({ items: await listWebhooks(scope), nextCursor: null }),
);

/** `{ url, events }` → 201 with the webhook and its `secret`, shown this once. */
export const POST = orgRoute(async ({ request, scope }) =>
  json(await createWebhook(scope, await readJson(request)), 201),
);
