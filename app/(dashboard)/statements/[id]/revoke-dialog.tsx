"use client";

import { AlertTriangle } from "lucide-react";
import { Dialog } from "radix-ui";
import { useActionState, useState } from "react";
import { Button } from "@/components/ui/button";
import { TextareaField } from "@/components/ui/field";
import type { ActionState } from "@/lib/action-state";
import { revokeStatementAction } from "../actions";

/**
 * Revocation is permanent and cuts clients off: say how many, and require a reason, before it happens.
 * On success the page re-renders as revoked, without this dialog.
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
  const clients = `${registrationCount.toLocaleString("en")} ${registrationCount === 1 ? "client" : "clients"}`;
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger asChild>
        <Button variant="danger">Revoke…</Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/50" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl dark:bg-zinc-900">
          <Dialog.Title className="flex items-center gap-2 text-lg font-semibold">
            <AlertTriangle aria-hidden className="h-5 w-5 text-red-600" /> Revoke this statement?
          </Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
            Every client registered with it — <strong>{clients} so far</strong> — will be refused tokens and
            API calls at once, and their users blocked from playback. This cannot be undone.
          </Dialog.Description>
          <form action={action} className="mt-4 space-y-4">
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
            {state.message && !state.ok && !state.fieldErrors?.reason && (
              <p role="alert" className="text-sm text-red-600 dark:text-red-400">
                {state.message}
              </p>
            )}
            <div className="flex justify-end gap-3">
              <Dialog.Close asChild>
                <Button type="button" variant="secondary">
                  Cancel
                </Button>
              </Dialog.Close>
              <Button type="submit" variant="danger" disabled={pending}>
                {pending ? "Revoking…" : `Revoke and cut off ${clients}`}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
