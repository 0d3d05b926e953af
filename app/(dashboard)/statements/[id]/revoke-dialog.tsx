"use client";

import { AlertTriangle } from "lucide-react";
import { formatCount } from "@/components/format";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { DialogActions, ModalDialog } from "@/components/ui/dialog";
import { TextareaField } from "@/components/ui/field";
import type { ActionState } from "@/lib/action-state";
import { revokeStatementAction } from "../actions";

/**
 * Revocation is permanent and cuts clients off: say how many, and require a reason, before it happens.
 * On success the page re-renders as revoked, without this dialog; after a conflict too.
 */
export function RevokeDialog({
  statementId,
  registrationCount,
}: {
  statementId: string;
  registrationCount: number;
}) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<ActionState, FormData>(
    revokeStatementAction.bind(null, statementId),
    {},
  );
  const router = useRouter();
  // Revoked meanwhile (another tab, another admin): show the page as it now is, without this dialog's button.
  useEffect(() => {
    if (state.code === "conflict") router.refresh();
  }, [state, router]);
  const clients = `${formatCount(registrationCount)} ${registrationCount === 1 ? "client" : "clients"}`;
  return (
    <ModalDialog
      open={open}
      onOpenChange={setOpen}
      trigger={<Button variant="danger">Revoke…</Button>}
      title={
        <>
          <AlertTriangle aria-hidden className="h-5 w-5 text-red-600" /> Revoke this statement?
        </>
      }
      description={
        <>
          Every client registered with it — <strong>{clients} so far</strong> — will be refused tokens and API
          calls at once, and their users blocked from playback. This cannot be undone.
        </>
      }
    >
      <form action={action} className="mt-4">
        <TextareaField
          id="reason"
          name="reason"
          label="Reason (recorded in the audit trail)"
          rows={3}
          aria-required
          maxLength={500}
          defaultValue={state.values?.reason?.[0]}
          errors={state.fieldErrors?.reason}
          placeholder="e.g. Build 2.3.1 leaked on a public mirror"
        />
        <DialogActions error={!state.ok && !state.fieldErrors?.reason ? state.message : undefined}>
          <Button type="submit" variant="danger" disabled={pending}>
            {pending ? "Revoking…" : `Revoke and cut off ${clients}`}
          </Button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}
