"use client";

import { useActionState } from "react";
import { FormMessage } from "@/components/secret-once";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ActionState } from "@/lib/action-state";
import { changePasswordAction } from "./actions";

export function PasswordForm() {
  const [state, action, pending] = useActionState<ActionState, FormData>(changePasswordAction, {});
  return (
    <form action={action} className="max-w-md space-y-4 p-5" noValidate>
      <Field
        id="current-password"
        name="current"
        label="Current password"
        type="password"
        autoComplete="current-password"
        required
        errors={state.fieldErrors?.current}
      />
      <Field
        id="new-password"
        name="next"
        label="New password"
        type="password"
        autoComplete="new-password"
        hint="At least 12 characters. Every session of your account ends, this one included."
        required
        minLength={12}
        maxLength={200}
        errors={state.fieldErrors?.next}
      />
      <Field
        id="confirm-password"
        name="confirm"
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        required
        maxLength={200}
        errors={state.fieldErrors?.confirm}
      />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Changing…" : "Change password"}
        </Button>
        {!state.fieldErrors && <FormMessage ok={state.ok} message={state.message} />}
      </div>
    </form>
  );
}
