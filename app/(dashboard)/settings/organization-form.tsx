"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ActionState } from "@/lib/action-state";
import { updateOrganizationAction } from "./actions";

export function OrganizationForm({
  name,
  tokenLifetimeSeconds,
}: {
  name: string;
  tokenLifetimeSeconds: number;
}) {
  const [state, action, pending] = useActionState<ActionState, FormData>(updateOrganizationAction, {});
  return (
    <form action={action} className="space-y-4 p-5">
      <Field
        id="org-name"
        name="name"
        label="Organization name"
        defaultValue={name}
        required
        maxLength={100}
        errors={state.fieldErrors?.name}
      />
      <Field
        id="token-lifetime"
        name="tokenLifetimeSeconds"
        type="number"
        inputMode="numeric"
        label="Access token lifetime (seconds)"
        defaultValue={tokenLifetimeSeconds}
        min={300}
        max={86400}
        hint="How long the access tokens of your clients last: 21600 (6 hours) by default. Clients refresh before expiry."
        errors={state.fieldErrors?.tokenLifetimeSeconds}
      />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
        <p
          aria-live="polite"
          className={`text-sm ${state.ok ? "text-emerald-700 dark:text-emerald-400" : "text-red-600 dark:text-red-400"}`}
        >
          {state.message}
        </p>
      </div>
    </form>
  );
}
