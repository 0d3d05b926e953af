"use client";

import { AlertTriangle } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { Button, type ButtonProps } from "./button";
import { DialogActions, ModalDialog } from "./dialog";

/** What a server action answers (lib/action-state.ts), as far as a confirmation needs it. */
type Outcome = { ok?: boolean; message?: string; code?: string };

/**
 * The one confirmation for a destructive action: a button that opens the styled dialog, which says what will
 * happen and runs `run` only when confirmed. A failure stays in the dialog; a conflict or a missing record
 * (changed in another tab) also refreshes the page, so it shows the true state and no longer offers the action.
 */
export function ConfirmDialog({
  trigger,
  triggerLabel,
  triggerVariant = "danger",
  title,
  description,
  confirmLabel,
  pendingLabel,
  run,
}: {
  trigger: React.ReactNode;
  triggerLabel?: string;
  triggerVariant?: ButtonProps["variant"];
  title: React.ReactNode;
  description: React.ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  run: () => Promise<Outcome>;
}) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  return (
    <ModalDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        setError(undefined);
      }}
      trigger={
        <Button variant={triggerVariant} aria-label={triggerLabel} disabled={pending}>
          {trigger}
        </Button>
      }
      title={
        <>
          <AlertTriangle aria-hidden className="h-5 w-5 shrink-0 text-red-600" /> {title}
        </>
      }
      description={description}
    >
      <DialogActions error={error}>
        <Button
          variant="danger"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const outcome = await run();
              if (outcome.ok) {
                setOpen(false);
                if (outcome.message) toast.success(outcome.message);
                router.refresh();
                return;
              }
              setError(outcome.message ?? "It could not be done. Try again.");
              if (outcome.code === "conflict" || outcome.code === "not_found") router.refresh();
            })
          }
        >
          {pending ? pendingLabel : confirmLabel}
        </Button>
      </DialogActions>
    </ModalDialog>
  );
}
