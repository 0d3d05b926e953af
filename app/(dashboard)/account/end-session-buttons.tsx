"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/action-state";
import { endOtherSessionsAction, endSessionAction } from "./actions";

function ConfirmButton({
  label,
  pendingLabel,
  question,
  ariaLabel,
  run,
}: {
  label: string;
  pendingLabel: string;
  question: string;
  ariaLabel?: string;
  run: () => Promise<ActionState>;
}) {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="danger"
      aria-label={ariaLabel}
      disabled={pending}
      onClick={() => {
        if (confirm(question))
          startTransition(async () => {
            const state = await run();
            if (state.ok) toast.success(state.message);
            else toast.error(state.message ?? "The session could not be ended.");
          });
      }}
    >
      {pending ? pendingLabel : label}
    </Button>
  );
}

export function EndSessionButton({ id, description }: { id: string; description: string }) {
  return (
    <ConfirmButton
      label="End"
      pendingLabel="Ending…"
      ariaLabel={`End the session ${description}`}
      question={`End the session ${description}? That browser is signed out at its next request.`}
      run={() => endSessionAction(id)}
    />
  );
}

export function EndOtherSessionsButton() {
  return (
    <ConfirmButton
      label="Sign out everywhere else"
      pendingLabel="Signing out…"
      question="Sign out every other session of your account? This one stays signed in."
      run={endOtherSessionsAction}
    />
  );
}
