"use client";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { revokeTokenAction } from "./actions";

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  return (
    <ConfirmDialog
      trigger="Revoke"
      triggerLabel={`Revoke ${name}`}
      title={`Revoke ${name}?`}
      description="Scripts using this token get 401 from their next request. This cannot be undone."
      confirmLabel="Revoke token"
      pendingLabel="Revoking…"
      run={() => revokeTokenAction(id)}
    />
  );
}
