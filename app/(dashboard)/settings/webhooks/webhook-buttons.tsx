"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { SecretOnce } from "@/components/secret-once";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  deleteWebhookAction,
  retryDeliveryAction,
  rotateWebhookSecretAction,
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

/**
 * A new signing secret (after a leak, or routinely), shown once below the row. Both secrets sign for 24 hours,
 * so the receiver can switch without missing a delivery.
 */
export function RotateSecretButton({ id, url }: { id: string; url: string }) {
  const [secret, setSecret] = useState<string>();
  return (
    <>
      <ConfirmDialog
        trigger="Rotate secret"
        triggerLabel={`Rotate the signing secret of ${url}`}
        triggerVariant="secondary"
        title="Rotate the signing secret?"
        description={`A new secret is made and shown once. For 24 hours deliveries to ${url} are signed with both the old and the new one, so the receiver can switch without missing one; then only the new one signs.`}
        confirmLabel="Rotate secret"
        pendingLabel="Rotating…"
        run={async () => {
          const outcome = await rotateWebhookSecretAction(id);
          setSecret(outcome.secret);
          return outcome;
        }}
      />
      {secret && (
        <div className="w-full">
          <SecretOnce label="New signing secret" value={secret} />
        </div>
      )}
    </>
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
