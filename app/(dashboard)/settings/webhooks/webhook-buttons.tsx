"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  deleteWebhookAction,
  retryDeliveryAction,
  sendTestWebhookAction,
  setWebhookEnabledAction,
} from "./actions";

export function DeleteWebhookButton({ id, url }: { id: string; url: string }) {
  return (
    <ConfirmDialog
      trigger="Delete"
      triggerLabel={`Delete the webhook ${url}`}
      title="Delete this webhook?"
      description={`${url} is told of nothing more, and its delivery log is deleted with it. This cannot be undone.`}
      confirmLabel="Delete webhook"
      pendingLabel="Deleting…"
      run={() => deleteWebhookAction(id)}
    />
  );
}

export function SendTestButton({ id }: { id: string }) {
  return (
    <ActionButton label="Send test event" pendingLabel="Queuing…" run={() => sendTestWebhookAction(id)} />
  );
}

/** Pause (nothing is sent until resumed) or resume a webhook: reversible, so nothing to confirm. */
export function PauseWebhookButton({ id, paused, url }: { id: string; paused: boolean; url: string }) {
  return (
    <ActionButton
      label={paused ? "Resume" : "Pause"}
      ariaLabel={`${paused ? "Resume" : "Pause"} the webhook ${url}`}
      pendingLabel={paused ? "Resuming…" : "Pausing…"}
      run={() => setWebhookEnabledAction(id, paused)}
    />
  );
}

export function RetryDeliveryButton({ webhookId, deliveryId }: { webhookId: string; deliveryId: string }) {
  return (
    <ActionButton
      label="Retry now"
      pendingLabel="Retrying…"
      run={() => retryDeliveryAction(webhookId, deliveryId)}
    />
  );
}

/** A button that runs an action at once (nothing to confirm), says how it went, and refreshes the page. */
function ActionButton({
  label,
  ariaLabel,
  pendingLabel,
  run,
}: {
  label: string;
  ariaLabel?: string;
  pendingLabel: string;
  run: () => Promise<{ ok?: boolean; message?: string }>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="secondary"
      aria-label={ariaLabel}
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const outcome = await run();
          if (outcome.ok) toast.success(outcome.message);
          else toast.error(outcome.message ?? "That did not work: reload the page and try again.");
          router.refresh();
        })
      }
    >
      {pending ? pendingLabel : label}
    </Button>
  );
}
