"use client";

import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { endOtherSessionsAction, endSessionAction } from "./actions";

export function EndSessionButton({ id, description }: { id: string; description: string }) {
  return (
    <ConfirmDialog
      trigger="End"
      triggerLabel={`End the session ${description}`}
      title="End this session?"
      description={`The session ${description} is signed out at its next request.`}
      confirmLabel="End session"
      pendingLabel="Ending…"
      run={() => endSessionAction(id)}
    />
  );
}

export function EndOtherSessionsButton() {
  return (
    <ConfirmDialog
      trigger="Sign out everywhere else"
      title="Sign out every other session?"
      description="Every other browser signed in to your account is signed out at its next request. This one stays signed in."
      confirmLabel="Sign out other sessions"
      pendingLabel="Signing out…"
      run={() => endOtherSessionsAction()}
    />
  );
}
