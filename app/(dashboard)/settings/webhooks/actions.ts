"use server";

import { revalidatePath } from "next/cache";
import { toActionState, type ActionState } from "@/lib/action-state";
import { requireCurrentScope } from "@/lib/auth/caller";
import { formArgument, idArgument, previousState, serverAction } from "@/lib/server-action";
import { z } from "zod";
import {
  createWebhook,
  deleteWebhook,
  retryDelivery,
  rotateWebhookSecret,
  sendTestEvent,
  setWebhookEnabled,
} from "@/lib/webhooks/service";

export type WebhookState = ActionState & { secret?: string };

export const createWebhookAction = serverAction(
  [previousState, formArgument],
  async (_prev, form): Promise<WebhookState> => {
    let secret: string | undefined;
    const state = await toActionState(async () => {
      const hook = await createWebhook(await requireCurrentScope(), {
        url: form.get("url"),
        // Unchecked boxes send nothing; anything that is not text is refused by the service's schema.
        events: form.getAll("events"),
      });
      secret = hook.secret;
      revalidatePath("/settings/webhooks");
      return "Webhook added. Copy its signing secret now: it is shown only once.";
    });
    return { ...state, secret };
  },
);

export const deleteWebhookAction = serverAction([idArgument], async (id): Promise<ActionState> =>
  toActionState(async () => {
    await deleteWebhook(await requireCurrentScope(), id);
    revalidatePath("/settings/webhooks");
    return "Webhook deleted.";
  }),
);

export const sendTestWebhookAction = serverAction([idArgument], async (id): Promise<ActionState> =>
  toActionState(async () => {
    const { status } = await sendTestEvent(await requireCurrentScope(), id);
    revalidatePath("/settings/webhooks");
    return status === "dropped"
      ? "Test event dropped, not queued: too many deliveries are already waiting for this webhook (see its delivery log)."
      : "Test event queued: it shows in the delivery log once sent.";
  }),
);

export const retryDeliveryAction = serverAction(
  [idArgument, idArgument],
  async (webhookId, deliveryId): Promise<ActionState> =>
    toActionState(async () => {
      await retryDelivery(await requireCurrentScope(), webhookId, deliveryId);
      revalidatePath(`/settings/webhooks/${webhookId}`);
      return "Retrying: the delivery is sent again within a few seconds.";
    }),
);

export const setWebhookEnabledAction = serverAction(
  [idArgument, z.boolean()],
  async (id, enabled): Promise<ActionState> =>
    toActionState(async () => {
      await setWebhookEnabled(await requireCurrentScope(), id, { enabled });
      revalidatePath("/settings/webhooks");
      return enabled
        ? "Webhook resumed: what was queued while it was paused is sent now."
        : "Webhook paused: events are not sent to it until it is resumed.";
    }),
);

export const rotateWebhookSecretAction = serverAction([idArgument], async (id): Promise<WebhookState> => {
  let secret: string | undefined;
  const state = await toActionState(async () => {
    secret = (await rotateWebhookSecret(await requireCurrentScope(), id)).secret;
    return "New signing secret made: copy it now. The old one keeps signing for 24 hours.";
  });
  return { ...state, secret };
});
