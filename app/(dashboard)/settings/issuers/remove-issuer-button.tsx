"use client";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { removeIssuerAction } from "../actions";

export function RemoveIssuerButton({ id, iss }: { id: string; iss: string }) {
  return (
    <ConfirmDialog
      trigger="Remove"
      triggerLabel={`Remove ${iss}`}
      triggerVariant="ghost"
      title={`Stop trusting ${iss}?`}
      description="New statements from this issuer will be refused on upload. Statements already stored stay as they are."
      confirmLabel="Remove issuer"
      pendingLabel="Removing…"
      run={() => removeIssuerAction(id)}
    />
  );
}
