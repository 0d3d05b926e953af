"use client";

import { Dialog } from "radix-ui";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { removeIssuerAction } from "../actions";

export function RemoveIssuerButton({ id, iss }: { id: string; iss: string }) {
  const [pending, startTransition] = useTransition();
  return (
    <Dialog.Root>
      <Dialog.Trigger asChild>
        <Button variant="ghost" aria-label={`Remove ${iss}`}>
          Remove
        </Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/50" />
        <Dialog.Content className="fixed left-1/2 top-1/2 z-50 w-[min(28rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-lg bg-white p-6 shadow-xl dark:bg-zinc-900">
          <Dialog.Title className="text-lg font-semibold">Stop trusting {iss}?</Dialog.Title>
          <Dialog.Description className="mt-2 text-sm text-zinc-700 dark:text-zinc-300">
            New statements from this issuer will be refused on upload. Statements already stored stay as they
            are.
          </Dialog.Description>
          <div className="mt-5 flex justify-end gap-3">
            <Dialog.Close asChild>
              <Button variant="secondary">Cancel</Button>
            </Dialog.Close>
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
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
