"use client";

import { useActionState } from "react";
import { FormMessage, SecretOnce } from "@/components/secret-once";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createWebhookAction, type WebhookState } from "./actions";

export function CreateWebhookForm({ events }: { events: readonly string[] }) {
  const [state, action, pending] = useActionState<WebhookState, FormData>(createWebhookAction, {});
  return (
    <form action={action} className="space-y-4 p-5" noValidate>
      <Field
        id="webhook-url"
        name="url"
        label="URL"
        type="url"
        required
        maxLength={2048}
        placeholder="https://hooks.example.com/statements"
        hint="HTTPS only. Addresses inside private networks are refused."
        errors={state.fieldErrors?.url}
      />
      <fieldset>
        <legend className="text-sm font-medium">Events</legend>
        <div className="mt-2 flex flex-wrap gap-4 text-sm">
          {events.map((event) => (
            <label key={event} className="flex items-center gap-2">
              <input
                type="checkbox"
                name="events"
                value={event}
                defaultChecked={event === "statement.revoked"}
                className="accent-indigo-600"
              />
              <code className="font-mono text-xs">{event}</code>
            </label>
          ))}
        </div>
        {state.fieldErrors?.events && (
          <p className="mt-1 text-sm text-red-600 dark:text-red-400">{state.fieldErrors.events[0]}</p>
        )}
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add webhook"}
        </Button>
        {!state.fieldErrors?.url && <FormMessage ok={state.ok} message={state.message} />}
      </div>
      {state.secret && <SecretOnce label="Signing secret" value={state.secret} />}
    </form>
  );
}
