"use client";

import { AlertTriangle } from "lucide-react";
import { formatCount } from "@/components/format";
import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { DialogActions, ModalDialog } from "@/components/ui/dialog";
import { TextareaField } from "@/components/ui/field";
import type { ActionState } from "@/lib/action-state";
import { replaceStatementAction, revokeStatementAction } from "../actions";

/**
 * Revocation is permanent and cuts clients off: say how many, and require a reason, before it happens.
 * On success the page re-renders as revoked, without this dialog; after a conflict too. `replace` is the
 * same step with a new statement for the application issued with it (the answer to a leak): on success the
 * new statement's page opens, to download it.
 */
export function RevokeDialog({
  statementId,
  registrationCount,
  replace = false,
}: {
  statementId: string;
  registrationCount: number;
  replace?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [state, action, pending] = useActionState<ActionState, FormData>(
    (replace ? replaceStatementAction : revokeStatementAction).bind(null, statementId),
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
      trigger={<Button variant={replace ? "secondary" : "danger"}>{replace ? "Replace…" : "Revoke…"}</Button>}
      title={
        <>
          <AlertTriangle aria-hidden className="h-5 w-5 text-red-600" />{" "}
          {replace ? "Replace this statement?" : "Revoke this statement?"}
        </>
      }
      description={
        <>
          Every client registered with it — <strong>{clients} so far</strong> — will be refused tokens and API
          calls at once, and their users blocked from playback. This cannot be undone.
          {replace && (
            <>
              {" "}
              A new statement for the same application is issued in the same step. The app must then present
              the new one: ship it in an update (or, once the app fetches its statement from a URL, it picks
              it up there), and every installed copy registers again, as a new client whose users sign in
              again.
            </>
          )}
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
            {pending
              ? replace
                ? "Replacing…"
                : "Revoking…"
              : `${replace ? "Replace and cut off" : "Revoke and cut off"} ${clients}`}
          </Button>
        </DialogActions>
      </form>
    </ModalDialog>
  );
}
