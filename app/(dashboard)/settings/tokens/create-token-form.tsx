"use client";

import { useActionState } from "react";
import { FormMessage, SecretOnce } from "@/components/secret-once";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createTokenAction, type TokenState } from "./actions";

/** `readOnly`: a viewer's form, whose tokens can only read (lib/tokens/service.ts). */
export function CreateTokenForm({ orgName, readOnly }: { orgName: string; readOnly: boolean }) {
  const [state, action, pending] = useActionState<TokenState, FormData>(createTokenAction, {});
  return (
    <form action={action} className="space-y-4 p-5" noValidate>
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <Field
          id="token-name"
          name="name"
          label="Name"
          required
          maxLength={100}
          placeholder="CI pipeline"
          errors={state.fieldErrors?.name}
        />
        <Field
          id="token-expiry"
          name="expiresInDays"
          label="Expires after (days)"
          type="number"
          min={1}
          max={3650}
          hint="Leave empty for a token that does not expire."
          errors={state.fieldErrors?.expiresInDays}
        />
      </div>
      <fieldset>
        <legend className="text-sm font-medium">Access to {orgName}</legend>
        <div className="mt-2 flex gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input type="radio" name="access" value="READ" defaultChecked className="accent-indigo-600" />
            Read-only
          </label>
          {!readOnly && (
            <label className="flex items-center gap-2">
              <input type="radio" name="access" value="WRITE" className="accent-indigo-600" />
              Read-write
            </label>
          )}
        </div>
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </Button>
        {!state.fieldErrors?.name && <FormMessage ok={state.ok} message={state.message} />}
      </div>
      {state.secret && <SecretOnce label="Personal access token" value={state.secret} />}
    </form>
  );
}
