"use client";

import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { revokeTokenAction } from "./actions";

export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="danger"
      aria-label={`Revoke ${name}`}
      disabled={pending}
      onClick={() => {
        if (confirm(`Revoke ${name}? Scripts using it will get 401 at once.`))
          startTransition(async () => {
            const state = await revokeTokenAction(id);
            if (!state.ok) toast.error(state.message ?? "The token could not be revoked.");
          });
      }}
    >
      {pending ? "Revoking…" : "Revoke"}
    </Button>
  );
}
