"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { DialogActions, ModalDialog } from "@/components/ui/dialog";
import { removeIssuerAction } from "../actions";

export function RemoveIssuerButton({ id, iss }: { id: string; iss: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <ModalDialog
      trigger={
        <Button variant="ghost" aria-label={`Remove ${iss}`}>
          Remove
        </Button>
      }
      title={`Stop trusting ${iss}?`}
      description="New statements from this issuer will be refused on upload. Statements already stored stay as they are."
    >
      <DialogActions>
        <Button
          variant="danger"
          disabled={pending}
          onClick={() =>
            startTransition(async () => {
              const state = await removeIssuerAction(id);
              if (!state.ok) toast.error(state.message ?? "The issuer could not be removed.");
            })
          }
        >
          {pending ? "Removing…" : "Remove issuer"}
        </Button>
      </DialogActions>
    </ModalDialog>
  );
}
