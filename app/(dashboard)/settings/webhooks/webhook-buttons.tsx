"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deleteWebhookAction, sendTestWebhookAction } from "./actions";

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
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="secondary"
      disabled={pending}
      onClick={() =>
        startTransition(async () => {
          const outcome = await sendTestWebhookAction(id);
          if (outcome.ok) {
            toast.success(outcome.message);
            router.refresh();
          } else toast.error(outcome.message ?? "The test event could not be queued.");
        })
      }
    >
      {pending ? "Queuing…" : "Send test event"}
    </Button>
  );
}
